// Worker lifecycle against real processes: graceful hand-back on SIGTERM, refusals at
// start-up (gpu without a GPU backend, an evicting Redis), tampered jobs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { JOB_NAMES, trainQueueName } from '@hyperzoo/queue';

import { isFinal, startRedis, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const config = tinyMlpConfig;

function startWorkerSync(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HZ_WORKER_TOKEN: 'hz_0123456789ab_secret', API_URL: 'http://127.0.0.1:1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stderr: r.stderr.trim() };
}

describe('worker start-up refusals', () => {
  it('a gpu worker without a GPU backend says why and takes no gpu jobs', () => {
    const r = startWorkerSync({ HZ_RESOURCE_CLASS: 'gpu' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hyperzoo worker: (HZ_RESOURCE_CLASS=gpu but nvidia-smi finds no GPU|@tensorflow\/tfjs-node-gpu .*); not taking gpu jobs$/);
  });

  it('a gpu worker refuses a CPU backend', () => {
    const r = startWorkerSync({ HZ_RESOURCE_CLASS: 'gpu', TFJS_BACKEND: 'wasm' });
    expect(r.stderr).toBe('hyperzoo worker: HZ_RESOURCE_CLASS=gpu needs TFJS_BACKEND=tensorflow-gpu (or auto), not wasm; not taking gpu jobs');
  });

  it('refuses a Redis whose maxmemory-policy is not noeviction', async () => {
    const redis = await startRedis();
    try {
      const c = new Redis(redis.url);
      await c.config('SET', 'maxmemory-policy', 'allkeys-lru');
      c.disconnect();
      const r = startWorkerSync({ REDIS_URL: redis.url });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^hyperzoo worker: Redis maxmemory-policy is "allkeys-lru"; BullMQ needs "noeviction"/);
    } finally {
      await redis.stop();
    }
  });

  it('names a malformed token', () => {
    const r = startWorkerSync({ HZ_WORKER_TOKEN: 'secret' });
    expect(r.stderr).toMatch(/^hyperzoo worker: invalid environment: HZ_WORKER_TOKEN="secret": must be a Hyperzoo API key/);
  });
});

describe('running workers', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('SIGTERM hands the run back after a checkpoint; another worker resumes it', { timeout: 300_000 }, async () => {
    const first = s.startWorker();
    // Enough tiny epochs that the run is still going when SIGTERM lands (6 could all end between a poll and the signal).
    const epochs = 40;
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: config(epochs) });
    await s.waitForRun(run.id, (r) => r.epochs.length >= 2, 150_000);
    const t0 = Date.now();
    const code = await first.kill('SIGTERM');
    expect(code, first.output().slice(-2000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(45_000);
    expect(first.output()).toMatch(/handed the run back to the queue/);
    const handedBack = await s.client.runs.get.query({ runId: run.id });
    expect(handedBack.status).toBe('queued');

    const second = s.startWorker();
    const done = await s.waitForRun(run.id, isFinal, 200_000);
    expect(done.status, second.output().slice(-2000)).toBe('succeeded');
    expect(done.attempt).toBe(2);
    expect(done.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    // The second attempt resumed: it did not retrain epoch 1.
    const rows = await s.db.db.epochMetric.findMany({ where: { runId: run.id }, orderBy: { epoch: 'asc' } });
    expect(rows[0]?.attempt).toBe(1);
    expect(rows.at(-1)?.attempt).toBe(2);
    const artifacts = await s.db.db.artifact.findMany({ where: { runId: run.id, kind: 'checkpoint' } });
    expect(artifacts.length).toBeGreaterThanOrEqual(1);
    expect(artifacts[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const workers = await s.client.worker.list.query({ teamSlug: s.seed.teamSlug });
    expect(workers.find((w) => w.name === first.name)?.status).toBe('stopped');
  });

  it('cancels a running run at the next batch boundary', { timeout: 200_000 }, async () => {
    s.startWorker();
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: config(30) });
    await s.waitForRun(run.id, (r) => r.epochs.length >= 1, 150_000);
    await s.client.runs.cancel.mutate({ runId: run.id });
    const done = await s.waitForRun(run.id, isFinal, 30_000);
    expect(done.status).toBe('cancelled');
    expect(done.epochs.length).toBeLessThan(30);
  });

  it('fails a tampered job as unrecoverable, without retries', { timeout: 120_000 }, async () => {
    s.startWorker();
    // A gpu run: no gpu worker is up, so its own job stays put; a tampered copy goes to the cpu queue.
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, resourceClass: 'gpu', config: config(1) });
    const connection = new Redis(s.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(trainQueueName(s.seed.teamId, 'cpu', s.queuePrefix), { connection });
    try {
      await queue.add(JOB_NAMES.train, { runId: run.id, teamId: s.seed.teamId, config: { architecture: 'mlp', epochs: -3 } }, { jobId: run.id, attempts: 3 });
      const done = await s.waitForRun(run.id, isFinal, 100_000);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/invalid data \(config\.epochs: /);
      const job = await queue.getJob(run.id);
      expect(job?.attemptsMade).toBe(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
