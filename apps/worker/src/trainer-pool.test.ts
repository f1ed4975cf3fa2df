// The warm trainer pool with real trainer children (trainer.ts): a tiny MLP on the wasm backend.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ZRunConfig } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

import type { JobSlot } from './processor';
import { isReusable, TrainerPool } from './trainer-pool';
import type { TrainerExit, TrainerProcess, TTrainerStart } from './trainer-process';

let root: string;
const pools: TrainerPool[] = [];
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hz-pool-'));
});
afterAll(() => {
  for (const pool of pools) pool.close();
  rmSync(root, { recursive: true, force: true });
});

const SLOT: JobSlot = { index: 0, cudaDevice: null };

function newPool(reuse = true, singleThreadedGc = false) {
  const pool = new TrainerPool({ backend: 'wasm', reuse, singleThreadedGc });
  pools.push(pool);
  pool.prefork([SLOT]);
  return pool;
}

function start(epochs: number): TTrainerStart {
  const runId = `run-${Math.random().toString(36).slice(2)}`;
  return {
    runId,
    config: ZRunConfig.parse({ architecture: 'mlp', epochs, batchSize: 16, data: { dataset: 'fashion-mnist', subsetPerClass: 10, validationSize: 0.2, testPerClass: 2 } }),
    backend: 'wasm',
    checkpointDir: path.join(root, runId),
    resumeFrom: null,
    dataCacheDir: path.join(root, 'data-cache'),
    artifactRoot: root,
  };
}

async function runOn(trainer: TrainerProcess, epochs: number, onEpoch: (m: TEpochMetric, t: TrainerProcess) => void = () => undefined) {
  const epochsSeen: number[] = [];
  const exit = await trainer.run(start(epochs), {
    onEpoch: (m) => {
      epochsSeen.push(m.epoch);
      onEpoch(m, trainer);
    },
    onCheckpoint: () => undefined,
  });
  return { exit, epochsSeen };
}

describe('TrainerPool', () => {
  it('pre-forks a warm trainer and reuses it after a clean run', { timeout: 400_000 }, async () => {
    const pool = newPool();
    const first = pool.acquire(SLOT);
    expect(await first.ready).toBeGreaterThan(0);
    const a = await runOn(first, 2);
    expect(a.exit.result?.result.status).toBe('succeeded');
    expect(a.epochsSeen).toEqual([1, 2]);
    expect(pool.release(SLOT, first, a.exit)).toBe('reused');

    const second = pool.acquire(SLOT);
    expect(second).toBe(first);
    expect(second.pid).toBe(first.pid);
    const b = await runOn(second, 1);
    expect(b.exit).toMatchObject({ idle: { liveTensors: 0 }, result: { result: { status: 'succeeded' } } });
    expect(b.epochsSeen).toEqual([1]);
    expect(second.runs).toBe(2);
  });

  it('a checkpoint written by a reused trainer resumes in a fresh one (another host)', { timeout: 400_000 }, async () => {
    const pool = newPool();
    const trainer = pool.acquire(SLOT);
    pool.release(SLOT, trainer, (await runOn(trainer, 1)).exit);
    const reused = pool.acquire(SLOT);
    expect(reused).toBe(trainer);
    const first = start(2);
    const checkpoints: string[] = [];
    const a = await reused.run(first, { onEpoch: () => undefined, onCheckpoint: (c) => checkpoints.push(c.dir) });
    expect(a.result?.result.status).toBe('succeeded');

    const fresh = new TrainerPool({ backend: 'wasm', reuse: true });
    pools.push(fresh);
    const other = fresh.acquire(SLOT);
    const epochs: number[] = [];
    const b = await other.run({ ...start(3), resumeFrom: checkpoints.at(-1) ?? null }, { onEpoch: (m) => epochs.push(m.epoch), onCheckpoint: () => undefined });
    expect(b.result?.result.status, b.result?.result.error ?? b.lastLog).toBe('succeeded');
    expect(epochs).toEqual([3]);
  });

  it('replaces a trainer whose run was cancelled; the new one trains', { timeout: 400_000 }, async () => {
    const pool = newPool();
    const first = pool.acquire(SLOT);
    const a = await runOn(first, 50, (_m, t) => t.cancel());
    expect(a.exit.result?.result.status).toBe('cancelled');
    expect(pool.release(SLOT, first, a.exit)).toBe('replaced');
    await first.exited;
    expect(first.isAlive).toBe(false);

    const second = pool.acquire(SLOT);
    expect(second.pid).not.toBe(first.pid);
    const b = await runOn(second, 1);
    expect(b.exit.result?.result.status).toBe('succeeded');
  });

  it('replaces a trainer that died while idle', { timeout: 400_000 }, async () => {
    const pool = newPool();
    const first = pool.acquire(SLOT);
    const a = await runOn(first, 1);
    pool.release(SLOT, first, a.exit);
    first.kill();
    await first.exited;
    const second = pool.acquire(SLOT);
    expect(second).not.toBe(first);
    expect((await runOn(second, 1)).exit.result?.result.status).toBe('succeeded');
  });

  it('forks CPU trainers that fill the cores with single-threaded GC, and they train', { timeout: 400_000 }, async () => {
    const flags = (t: TrainerProcess) => readFileSync(`/proc/${t.pid}/cmdline`, 'utf8').split('\0');
    const single = newPool(true, true).acquire(SLOT);
    const parallel = newPool(true, false).acquire(SLOT);
    expect(flags(single)).toContain('--single-threaded-gc');
    expect(flags(parallel)).not.toContain('--single-threaded-gc');
    expect((await runOn(single, 1)).exit.result?.result.status).toBe('succeeded');
  });

  it('with reuse off, every run gets a fresh process', { timeout: 400_000 }, async () => {
    const pool = newPool(false);
    const first = pool.acquire(SLOT);
    const a = await runOn(first, 1);
    expect(a.exit.result?.result.status).toBe('succeeded');
    expect(pool.release(SLOT, first, a.exit)).toBe('replaced');
    expect(pool.acquire(SLOT)).not.toBe(first);
  });
});

describe('isReusable', () => {
  const RESULT = { bestEpoch: 1, stoppedEpoch: 1, testLoss: 1, testAccuracy: 0.5, paramCount: 1, backend: 'wasm' as const, device: 'cpu', error: null };
  const exit = (over: Partial<TrainerExit>, status: 'succeeded' | 'failed' | 'cancelled' | 'diverged' | 'pruned' = 'succeeded'): TrainerExit => ({
    code: null,
    signal: null,
    lastLog: '',
    stopped: false,
    idle: { liveTensors: 0 },
    result: { result: { status, ...RESULT }, provenance: null },
    ...over,
  });
  it('only a clean run: succeeded or diverged, idle, no tensor left, not stopped', () => {
    expect(isReusable(exit({}))).toBe(true);
    expect(isReusable(exit({}, 'diverged'))).toBe(true);
    expect(isReusable(exit({ idle: { liveTensors: 3 } }))).toBe(false);
    expect(isReusable(exit({ idle: null, code: 1 }))).toBe(false);
    expect(isReusable(exit({ stopped: true }))).toBe(false);
    for (const status of ['failed', 'cancelled', 'pruned'] as const) expect(isReusable(exit({}, status))).toBe(false);
    expect(isReusable(exit({ result: null }))).toBe(false);
  });
});
