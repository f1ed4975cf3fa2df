import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';

import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';

import { createHyperzooClient } from '@hyperzoo/client';
import { createArtifactClient } from '@hyperzoo/client/artifacts';
import { withApiRetry } from '@hyperzoo/client/reporter';
import type { TDevice } from '@hyperzoo/schemas';
import { assertNoEviction, createRedis, predictQueueName, runEventsChannel, trainQueueName } from '@hyperzoo/queue';

import { checkGpuBackend, describeCpu, findGpus } from './devices';
import { createJobHandler } from './dispatch';
import type { TWorkerEnv } from './env';
import type { JobDeps, JobSlot } from './processor';
import { PredictorProcess } from './predictor-process';
import { TrainerPool } from './trainer-pool';
import { findProcessor, PROCESSORS } from './registry';

const WORKER_VERSION = '0.1.0';
const HEARTBEAT_MS = 10_000;

export interface WorkerRuntime {
  workerId: string;
  close(): Promise<void>;
}

/** A gpu worker trains only on a GPU backend; it says why it cannot rather than train on the CPU. */
async function planDevices(env: TWorkerEnv): Promise<{ backend: TWorkerEnv['TFJS_BACKEND']; devices: TDevice[]; slots: JobSlot[] }> {
  if (env.HZ_RESOURCE_CLASS === 'cpu') {
    // wasm runs single-threaded in Node: one trainer per core is what a CPU box can use.
    const n = env.HZ_SLOTS ?? availableParallelism();
    return { backend: env.TFJS_BACKEND, devices: [describeCpu()], slots: Array.from({ length: n }, (_, index) => ({ index, cudaDevice: null })) };
  }
  if (env.TFJS_BACKEND !== 'auto' && env.TFJS_BACKEND !== 'tensorflow-gpu') {
    throw new Error(`hyperzoo worker: HZ_RESOURCE_CLASS=gpu needs TFJS_BACKEND=tensorflow-gpu (or auto), not ${env.TFJS_BACKEND}; not taking gpu jobs`);
  }
  const gpus = await findGpus();
  if (gpus.length === 0) throw new Error('hyperzoo worker: HZ_RESOURCE_CLASS=gpu but nvidia-smi finds no GPU; not taking gpu jobs');
  const reason = checkGpuBackend();
  if (reason) throw new Error(`hyperzoo worker: ${reason}; not taking gpu jobs`);
  const n = Math.min(env.HZ_SLOTS ?? gpus.length, gpus.length);
  return { backend: 'tensorflow-gpu', devices: gpus, slots: Array.from({ length: n }, (_, index) => ({ index, cudaDevice: String(index) })) };
}

export async function startWorker(env: TWorkerEnv, log: Logger): Promise<WorkerRuntime> {
  const plan = await planDevices(env);
  const connection = createRedis(env.REDIS_URL, 'worker');
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  await assertNoEviction(connection);
  const api = createHyperzooClient({ url: env.API_URL, apiKey: env.HZ_WORKER_TOKEN });
  const name = env.HZ_WORKER_NAME ?? `${hostname()}-${process.pid}`;
  const { workerId, teamId } = await withApiRetry(
    () =>
      api.worker.register.mutate({
      name,
      hostname: hostname(),
      backend: plan.backend,
      devices: plan.devices,
      resourceClass: env.HZ_RESOURCE_CLASS,
      capacity: plan.slots.length,
      version: WORKER_VERSION,
    }),
    { deadlineMs: 60_000 },
  );

  const shutdown = new AbortController();
  const publisher = createRedis(env.REDIS_URL, 'producer');
  publisher.on('error', () => undefined);
  const publish: JobDeps['publish'] = (runId, event) => {
    publisher.publish(runEventsChannel(runId, env.HZ_QUEUE_PREFIX), JSON.stringify(event)).catch(() => undefined);
  };
  // Predictions run on the CPU beside the training slots, in their own child process.
  const predictor = new PredictorProcess({ backend: env.HZ_RESOURCE_CLASS === 'cpu' ? plan.backend : 'auto', artifactRoot: path.resolve(env.HZ_ARTIFACT_DIR), cacheSize: env.HZ_PREDICT_CACHE });
  const artifacts = createArtifactClient({ url: env.API_URL, apiKey: env.HZ_WORKER_TOKEN });
  // Warm trainers, one per slot, forked now so the first run does not wait for tfjs either.
  // CPU trainers that fill every core collect garbage on their own thread: V8's GC helper threads would take the other slots' cores.
  const singleThreadedGc = env.HZ_RESOURCE_CLASS === 'cpu' && plan.slots.length >= availableParallelism();
  const trainers = new TrainerPool({ backend: plan.backend, reuse: env.HZ_WARM_TRAINERS, singleThreadedGc });
  trainers.prefork(plan.slots);
  void trainers.whenWarm().then(() => log.info({ slots: plan.slots.length, singleThreadedGc }, 'trainers warm'));
  const deps: JobDeps = { api, artifacts, env: { ...env, TFJS_BACKEND: plan.backend }, log, workerId, publish, predictor, trainers, shutdown: shutdown.signal };
  const jobs = createJobHandler({ processors: PROCESSORS, deps, slots: plan.slots });

  const worker = new Worker(trainQueueName(teamId, env.HZ_RESOURCE_CLASS, env.HZ_QUEUE_PREFIX), jobs.handle, {
    connection,
    concurrency: plan.slots.length,
    lockDuration: env.HZ_LOCK_DURATION_MS,
    stalledInterval: env.HZ_STALLED_INTERVAL_MS,
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    log.warn({ jobId: job.id, name: job.name, attemptsMade: job.attemptsMade, err: err.message }, 'job failed');
    // Out of attempts (or unrecoverable, or stalled too often): the processor ends its work as
    // failed (a train run: finishRun, a no-op on a run that is already final).
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final && err.name !== 'WaitingError') {
      void findProcessor(job.name)
        ?.onFinalFailure?.(job, err, deps)
        .catch(() => undefined);
    }
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  // One prediction at a time per worker: the predictor child answers them in order anyway.
  const predictions = createJobHandler({ processors: PROCESSORS, deps, slots: [{ index: 0, cudaDevice: null }] });
  const predictWorker = new Worker(predictQueueName(teamId, env.HZ_QUEUE_PREFIX), predictions.handle, { connection, concurrency: 1, autorun: false });
  predictWorker.on('error', (err) => log.error({ err: err.message }, 'predict worker error'));

  const beat = (stopping = false) =>
    api.worker.heartbeat.mutate({ workerId, currentRuns: jobs.running(), stopping }).catch((err: Error) => log.warn({ err: err.message }, 'heartbeat failed'));
  const heartbeatTimer = setInterval(() => void beat(), HEARTBEAT_MS);

  void worker.run();
  void predictWorker.run();
  await Promise.all([worker.waitUntilReady(), predictWorker.waitUntilReady()]);
  log.info({ workerId, name, queue: worker.name, slots: plan.slots.length, backend: plan.backend, devices: plan.devices }, 'hyperzoo worker ready');

  let closing: Promise<void> | null = null;
  return {
    workerId,
    close: () =>
      (closing ??= (async () => {
        shutdown.abort();
        // Idle trainers go now; a running one is killed when its run has handed back, not replaced.
        trainers.close();
        clearInterval(heartbeatTimer);
        await Promise.all([worker.close(), predictWorker.close()]);
        predictor.close();
        await beat(true);
        publisher.disconnect();
        connection.disconnect();
      })()),
  };
}
