import { hostname } from 'node:os';

import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';

import { createHyperzooClient } from '@hyperzoo/client';
import { assertNoEviction, createRedis, JOB_NAMES, trainQueueName, ZTrainJob } from '@hyperzoo/queue';

import type { TWorkerEnv } from './env';
import { processTrainJob, reportFailure } from './run-job';

export interface WorkerRuntime {
  close(): Promise<void>;
}

export async function startWorker(env: TWorkerEnv, log: Logger): Promise<WorkerRuntime> {
  const connection = createRedis(env.REDIS_URL, 'worker');
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  await assertNoEviction(connection);
  const api = createHyperzooClient({ url: env.API_URL, apiKey: env.HZ_WORKER_TOKEN });
  const slots = env.HZ_SLOTS ?? 1;
  const deps = { api, env, log, workerId: null };

  const worker = new Worker(
    trainQueueName(env.HZ_RESOURCE_CLASS, env.HZ_QUEUE_PREFIX),
    async (job, _token, signal) => {
      if (job.name !== JOB_NAMES.train) {
        log.warn({ jobId: job.id, name: job.name }, 'unknown job name; completing it without work');
        return 'unknown-job';
      }
      return processTrainJob(job, deps, signal);
    },
    { connection, concurrency: slots, lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 2, autorun: false },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    log.warn({ jobId: job.id, attemptsMade: job.attemptsMade, err: err.message }, 'train job failed');
    // Unrecoverable errors skip the remaining attempts: the run must still end as failed.
    if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') {
      const parsed = ZTrainJob.safeParse(job.data);
      if (parsed.success) void reportFailure(deps, parsed.data.runId, 1, err.message).catch(() => undefined);
    }
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  void worker.run();
  await worker.waitUntilReady();
  log.info({ queue: worker.name, slots, host: hostname(), backend: env.TFJS_BACKEND }, 'hyperzoo worker ready');

  let closing: Promise<void> | null = null;
  return {
    close: () =>
      (closing ??= (async () => {
        await worker.close();
        connection.disconnect();
      })()),
  };
}
