// The supervisor with the real trainer child (trainer.ts): a tiny MLP on the wasm backend.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ZRunConfig } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

import { TrainerProcess } from './trainer-process';
import type { TrainerHandlers, TTrainerCheckpoint, TTrainerStart } from './trainer-process';

let root: string;
const trainers: TrainerProcess[] = [];
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hz-trainer-'));
});
afterAll(() => {
  for (const t of trainers) t.kill();
  rmSync(root, { recursive: true, force: true });
});

function startTrainer(epochs: number, extra: Partial<TTrainerStart> = {}) {
  const seen = { epochs: [] as TEpochMetric[], checkpoints: [] as TTrainerCheckpoint[], logs: [] as string[] };
  const name = `run-${Math.random().toString(36).slice(2)}`;
  const trainer = new TrainerProcess({ cudaDevice: null });
  trainers.push(trainer);
  const handlers: TrainerHandlers = {
    onEpoch: (m) => seen.epochs.push(m),
    onCheckpoint: (c) => seen.checkpoints.push(c),
    onLog: (l) => seen.logs.push(l),
  };
  const start: TTrainerStart = {
    runId: name,
    config: ZRunConfig.parse({
      architecture: 'mlp',
      epochs,
      batchSize: 16,
      data: { dataset: 'fashion-mnist', subsetPerClass: 10, validationSize: 0.2, testPerClass: 2 },
    }),
    backend: 'wasm',
    checkpointDir: path.join(root, name),
    resumeFrom: null,
    dataCacheDir: path.join(root, 'data-cache'),
    artifactRoot: root,
    ...extra,
  };
  return { trainer, seen, start, run: (extraStart: Partial<TTrainerStart> = {}) => trainer.run({ ...start, ...extraStart }, handlers) };
}

describe('TrainerProcess', () => {
  it('relays epochs and checkpoints, then the result; the child stays up, idle, with no tensor left', { timeout: 120_000 }, async () => {
    const { trainer, seen, run } = startTrainer(2);
    const exit = await run();
    expect(exit).toMatchObject({ code: null, signal: null, stopped: false, idle: { liveTensors: 0 }, result: { result: { status: 'succeeded', paramCount: 266_610, backend: 'wasm' } } });
    expect(trainer.isAlive).toBe(true);
    expect(seen.epochs.map((m) => m.epoch)).toEqual([1, 2]);
    expect(seen.checkpoints.map((c) => c.epoch)).toEqual([1, 2]);
    expect(existsSync(path.join(seen.checkpoints[1]?.dir ?? '', 'state.json'))).toBe(true);
  });

  it('cancel stops it at a batch boundary and it reports the run cancelled', { timeout: 120_000 }, async () => {
    const { trainer, seen, run: startRun } = startTrainer(50);
    const exit = await new Promise<Awaited<ReturnType<TrainerProcess['run']>>>((resolve) => {
      const run = startRun();
      const poll = setInterval(() => {
        if (seen.epochs.length > 0) {
          clearInterval(poll);
          trainer.cancel();
        }
      }, 20);
      void run.then(resolve);
    });
    expect(exit.idle).not.toBeNull();
    expect(exit.result?.result.status).toBe('cancelled');
    expect(seen.epochs.length).toBeLessThan(50);
  });

  it('stopAfterCheckpoint (hand-back) kills it right after the next checkpoint, before a result', { timeout: 120_000 }, async () => {
    const { trainer, seen, run: startRun } = startTrainer(50);
    const run = startRun();
    const poll = setInterval(() => {
      if (seen.epochs.length > 0) {
        clearInterval(poll);
        trainer.stopAfterCheckpoint(60_000);
      }
    }, 5);
    const exit = await run;
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL', stopped: true, result: null });
    expect(seen.checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(seen.epochs.length).toBeLessThan(5);
  });

  it('stopAfterCheckpoint kills it after the timeout when no checkpoint comes', { timeout: 120_000 }, async () => {
    const { trainer, seen, run: startRun } = startTrainer(50);
    const run = startRun();
    const t0 = Date.now();
    trainer.stopAfterCheckpoint(300);
    const exit = await run;
    expect(exit).toMatchObject({ signal: 'SIGKILL', stopped: true, result: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(seen.checkpoints).toEqual([]);
  });

  it('a run that fails is a result (the child stays up), with the error', { timeout: 120_000 }, async () => {
    const { run } = startTrainer(2, { resumeFrom: path.join(root, 'no-such-checkpoint') });
    const exit = await run();
    expect(exit.idle).not.toBeNull();
    expect(exit.result?.result).toMatchObject({ status: 'failed', error: expect.stringMatching(/no-such-checkpoint: no checkpoint here/) });
  });

  it('a trainer that crashes exits non-zero without a result', { timeout: 120_000 }, async () => {
    const { seen, start, run } = startTrainer(2);
    // A command the trainer's own schema refuses: it throws outside any run.
    const exit = await run({ config: { ...start.config, epochs: 0 } });
    expect(exit.code).toBe(1);
    expect(exit.result).toBeNull();
    expect(seen.epochs).toEqual([]);
  });
});
