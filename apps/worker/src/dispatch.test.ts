// The job handler on a real BullMQ queue in the real Redis, with a small processor of its own.
import { randomUUID } from 'node:crypto';

import { Queue, QueueEvents, Worker } from 'bullmq';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createHyperzooClient } from '@hyperzoo/client';
import { createArtifactClient } from '@hyperzoo/client/artifacts';
import { createRedis } from '@hyperzoo/queue';

import { createJobHandler } from './dispatch';
import { ZWorkerEnv } from './env';
import { defineProcessor } from './processor';
import type { JobDeps } from './processor';

const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const seen: { data: unknown; slot: number; running: string[] }[] = [];
let jobs: ReturnType<typeof createJobHandler>;
const double = defineProcessor({
  name: 'test.double',
  schema: z.object({ n: z.number(), factor: z.number().default(2) }),
  async handle(data, ctx) {
    seen.push({ data, slot: ctx.slot.index, running: jobs.running() });
    return data.n * data.factor;
  },
});

const logLines: string[] = [];
const deps: JobDeps = {
  api: createHyperzooClient({ url: 'http://127.0.0.1:1' }),
  artifacts: createArtifactClient({ url: 'http://127.0.0.1:1' }),
  env: ZWorkerEnv.parse({ HZ_WORKER_TOKEN: 'hz_0123456789ab_secret' }),
  log: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
  workerId: null,
  publish: () => undefined,
  predictor: { predict: () => Promise.reject(new Error('no predictions in this test')) },
  trainers: { acquire: () => { throw new Error('no training in this test'); }, release: () => 'replaced' },
  shutdown: new AbortController().signal,
};

let connections: ReturnType<typeof createRedis>[];
let queue: Queue;
let events: QueueEvents;
let worker: Worker;
beforeEach(async () => {
  const name = `test-${randomUUID()}`;
  // One connection each: BullMQ's blocking reads must not share one with the queue.
  const connect = () => {
    const c = createRedis(REDIS_URL, 'worker');
    connections.push(c);
    return c;
  };
  connections = [];
  queue = new Queue(name, { connection: connect() });
  events = new QueueEvents(name, { connection: connect() });
  jobs = createJobHandler({ processors: [double], deps, slots: [{ index: 7, cudaDevice: null }] });
  worker = new Worker(name, jobs.handle, { connection: connect(), concurrency: 1 });
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  seen.length = 0;
  logLines.length = 0;
});
afterEach(async () => {
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  for (const c of connections) c.disconnect();
});

describe('createJobHandler', () => {
  it('runs the processor of the job name on a slot, with the payload parsed by its schema', async () => {
    const job = await queue.add('test.double', { n: 21 });
    expect(await job.waitUntilFinished(events, 20_000)).toBe(42);
    expect(seen).toEqual([{ data: { n: 21, factor: 2 }, slot: 7, running: [job.id] }]);
    expect(jobs.running()).toEqual([]);
  });

  it('logs and completes a job whose name has no processor', async () => {
    const job = await queue.add('test.unknown', { n: 1 }, { attempts: 3 });
    expect(await job.waitUntilFinished(events, 20_000)).toBe('unknown-job');
    expect(seen).toEqual([]);
    expect(logLines.map((l) => JSON.parse(l) as { msg: string; name: string })).toContainEqual(
      expect.objectContaining({ msg: 'unknown job name; completing it without work', name: 'test.unknown' }),
    );
  });

  it('fails a payload its schema refuses as unrecoverable: one attempt, the zod path in the error', async () => {
    const job = await queue.add('test.double', { n: 'ten' }, { attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(`job ${job.id} has invalid data (n: Invalid input: expected number, received string)`);
    const failed = await queue.getJob(job.id ?? '');
    expect(failed?.attemptsMade).toBe(1);
    expect(await failed?.getState()).toBe('failed');
    expect(seen).toEqual([]);
  });
});
