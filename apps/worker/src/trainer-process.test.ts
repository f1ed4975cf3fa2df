// The supervisor with the real trainer child (trainer.ts): a tiny MLP on the wasm backend.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ZRunConfig } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

import { TrainerProcess } from './trainer-process';
import type { TTrainerCheckpoint, TTrainerStart } from './trainer-process';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hz-trainer-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function startTrainer(epochs: number, extra: Partial<TTrainerStart> = {}) {
  const seen = { epochs: [] as TEpochMetric[], checkpoints: [] as TTrainerCheckpoint[], logs: [] as string[] };
  const name = `run-${Math.random().toString(36).slice(2)}`;
  const trainer = new TrainerProcess(
    {
      onEpoch: (m) => seen.epochs.push(m),
      onCheckpoint: (c) => seen.checkpoints.push(c),
      onLog: (l) => seen.logs.push(l),
    },
    { cudaDevice: null },
  );
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
  return { trainer, seen, start };
}

describe('TrainerProcess', () => {
  it('relays epochs and checkpoints, then the result; exit code 0', { timeout: 120_000 }, async () => {
    const { trainer, seen, start } = startTrainer(2);
    const exit = await trainer.run(start);
    expect(exit).toMatchObject({ code: 0, signal: null, stopped: false, result: { result: { status: 'succeeded', paramCount: 266_610, backend: 'wasm' } } });
    expect(seen.epochs.map((m) => m.epoch)).toEqual([1, 2]);
    expect(seen.checkpoints.map((c) => c.epoch)).toEqual([1, 2]);
    expect(existsSync(path.join(seen.checkpoints[1]?.dir ?? '', 'state.json'))).toBe(true);
  });

  it('cancel stops it at a batch boundary and it reports the run cancelled', { timeout: 120_000 }, async () => {
    const { trainer, seen, start } = startTrainer(50);
    const exit = await new Promise<Awaited<ReturnType<TrainerProcess['run']>>>((resolve) => {
      const run = trainer.run(start);
      const poll = setInterval(() => {
        if (seen.epochs.length > 0) {
          clearInterval(poll);
          trainer.cancel();
        }
      }, 20);
      void run.then(resolve);
    });
    expect(exit.code).toBe(0);
    expect(exit.result?.result.status).toBe('cancelled');
    expect(seen.epochs.length).toBeLessThan(50);
  });

  it('stopAfterCheckpoint (hand-back) kills it right after the next checkpoint, before a result', { timeout: 120_000 }, async () => {
    const { trainer, seen, start } = startTrainer(50);
    const run = trainer.run(start);
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
    const { trainer, seen, start } = startTrainer(50);
    const run = trainer.run(start);
    const t0 = Date.now();
    trainer.stopAfterCheckpoint(300);
    const exit = await run;
    expect(exit).toMatchObject({ signal: 'SIGKILL', stopped: true, result: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(seen.checkpoints).toEqual([]);
  });

  it('a run that fails is a result (exit code 0), with the error', { timeout: 120_000 }, async () => {
    const { trainer, start } = startTrainer(2, { resumeFrom: path.join(root, 'no-such-checkpoint') });
    const exit = await trainer.run(start);
    expect(exit.code).toBe(0);
    expect(exit.result?.result).toMatchObject({ status: 'failed', error: expect.stringMatching(/no-such-checkpoint: no checkpoint here/) });
  });

  it('a trainer that crashes exits non-zero without a result', { timeout: 120_000 }, async () => {
    const { trainer, seen, start } = startTrainer(2);
    // A command the trainer's own schema refuses: it throws outside any run.
    const exit = await trainer.run({ ...start, config: { ...start.config, epochs: 0 } });
    expect(exit.code).toBe(1);
    expect(exit.result).toBeNull();
    expect(seen.epochs).toEqual([]);
  });
});
