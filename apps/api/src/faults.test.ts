// Faults lose nothing: a worker killed mid-run, Redis restarted, the API down for a while.
// Real processes, real Redis and Postgres, a tiny MLP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TRunDetail } from '@hyperzoo/schemas';

import { isFinal, startRedis, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

const config = tinyMlpConfig;

function expectContiguous(run: TRunDetail, epochs: number) {
  expect(run.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
}

describe('a worker killed mid-run', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('finishes on the second worker with epochs 1..N, none duplicated', { timeout: 300_000 }, async () => {
    const first = s.startWorker();
    const epochs = 20; // enough tiny epochs that the run is still going when the kill comes
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: config(epochs) });
    // The second worker starts after the kill: started before, it could take the job first.
    await s.killMidRun(first, run.id, { checkpointEpoch: 2, epochs, timeoutMs: 150_000 });
    const second = s.startWorker();
    const done = await s.waitForRun(run.id, isFinal, 200_000);
    expect(done.status, second.output().slice(-2000)).toBe('succeeded');
    expect(done.attempt).toBeGreaterThanOrEqual(2);
    expectContiguous(done, epochs);
    expect(await s.db.db.epochMetric.count({ where: { runId: run.id } })).toBe(epochs);
  });
});

describe('Redis restarted', () => {
  let s: TestStack;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
    s = await startTestStack({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await s?.close();
    await redis?.stop();
  });

  it('every run finishes after Redis comes back empty', { timeout: 300_000 }, async () => {
    const worker = s.startWorker();
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: config(3) }));
    await s.waitForRun(runs[0]?.id ?? '', (r) => r.status === 'running', 120_000);
    // No persistence: the restarted Redis has lost every job; Postgres still knows the runs.
    await redis.stop();
    const again = await startRedis(redis.port);
    redis = again;
    for (const r of runs) {
      const done = await s.waitForRun(r.id, isFinal, 240_000);
      expect(done.status, worker.output().slice(-2000)).toBe('succeeded');
      expectContiguous(done, 3);
    }
  });
});

describe('the API down during a run', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('completes with no epoch missing', { timeout: 300_000 }, async () => {
    const worker = s.startWorker();
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: config(5) });
    await s.waitForRun(run.id, (r) => r.epochs.length >= 1, 150_000);
    await s.restartApi(8_000);
    const done = await s.waitForRun(run.id, isFinal, 200_000);
    expect(done.status, worker.output().slice(-2000)).toBe('succeeded');
    expectContiguous(done, 5);
  });
});
