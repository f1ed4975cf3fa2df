import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { UnrecoverableError, WaitingError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';

import { describeClientError, getErrorCode } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';
import { ZTrainJob } from '@hyperzoo/queue';
import type { TTrainJob } from '@hyperzoo/queue';
import { ZEpochMetric } from '@hyperzoo/schemas';
import type { TEpochMetric, TRunEvent, TRunResult } from '@hyperzoo/schemas';

import type { TWorkerEnv } from './env';
import { describeDir } from './artifacts';
import { EpochReporter, withApiRetry } from './reporter';
import { ZTrainerEvent } from './trainer-protocol';
import type { TTrainerCommand } from './trainer-protocol';

export interface JobDeps {
  api: HyperzooClient;
  env: TWorkerEnv;
  log: Logger;
  workerId: string | null;
  /** Live events (Redis pub/sub, per-run channel); best effort, the DB has the record. */
  publish(runId: string, event: TRunEvent): void;
  /** Aborted on SIGTERM: finish the current epoch's checkpoint, then hand the job back. */
  shutdown: AbortSignal;
}

export interface JobSlot {
  index: number;
  /** CUDA_VISIBLE_DEVICES for this slot's trainer (gpu workers). */
  cudaDevice: string | null;
}

/** How long a shutdown waits for the running epoch's checkpoint before it stops the trainer anyway. */
export const SHUTDOWN_EPOCH_WAIT_MS = 30_000;

const CANCEL_POLL_MS = 2_000;

/** The trainer entry next to this file: .ts under tsx in development, .js in the bundle. */
function trainerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  return { file: path.join(path.dirname(here), ts ? 'trainer.ts' : 'trainer.js'), execArgv: ts ? ['--import', 'tsx'] : [] };
}

function parseJob(job: Job): TTrainJob {
  const parsed = ZTrainJob.safeParse(job.data);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new UnrecoverableError(`job ${job.id} has invalid data (${where})`);
  }
  return parsed.data;
}

/** Runs one train job: take the run, fork the trainer, relay its epochs, report the end. */
export async function processTrainJob(
  job: Job,
  token: string | undefined,
  deps: JobDeps,
  slot: JobSlot,
  signal?: AbortSignal,
): Promise<TRunResult['status'] | 'skipped'> {
  const data = parseJob(job);
  const { api, env, log } = deps;
  let start: { attempt: number; cancelRequested: boolean };
  try {
    start = await withApiRetry(() => api.worker.startRun.mutate({ runId: data.runId, workerId: deps.workerId, backend: env.TFJS_BACKEND, device: 'pending' }));
  } catch (err) {
    // A run that is already final (cancelled while queued, say) is not an error: nothing to do.
    const code = getErrorCode(err);
    if (code === 'PRECONDITION_FAILED') {
      log.info({ runId: data.runId }, describeClientError(err));
      return 'skipped';
    }
    if (code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'UNAUTHORIZED') {
      throw new UnrecoverableError(describeClientError(err));
    }
    throw err;
  }

  const runLog = log.child({ runId: data.runId, attempt: start.attempt });
  deps.publish(data.runId, { type: 'status', runId: data.runId, status: 'running', attempt: start.attempt });
  const checkpointDir = path.resolve(env.HZ_ARTIFACT_DIR, data.runId);
  await mkdir(checkpointDir, { recursive: true });
  const latest = path.join(checkpointDir, 'latest');
  const reporter = new EpochReporter(api, data.runId, start.attempt, path.join(checkpointDir, 'pending-epochs.jsonl'));
  // The trainer checkpoints right after reporting an epoch; if this worker died in between, the
  // epoch is in the checkpoint but not in the DB, and the resumed run starts after it.
  reporter.backfill(await readCheckpointHistory(latest));

  const { file, execArgv } = trainerEntry();
  const child = fork(file, [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    // The trainer inherits the worker's environment (PATH, library paths), plus its GPU pin.
    // eslint-disable-next-line no-restricted-properties
    env: { ...process.env, ...(slot.cudaDevice !== null ? { CUDA_VISIBLE_DEVICES: slot.cudaDevice } : {}) },
  });
  let result: { result: TRunResult; provenance: unknown } | null = null;
  let lastLog = '';
  let handedBack = false;
  let artifacts: Promise<void> = Promise.resolve();
  const onShutdown = () => {
    // Let the running epoch end and checkpoint, then stop the trainer; the job goes back to the queue.
    handedBack = true;
    runLog.info('shutting down: waiting for the current epoch checkpoint');
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_EPOCH_WAIT_MS);
    child.once('exit', () => clearTimeout(timer));
  };
  if (deps.shutdown.aborted) onShutdown();
  else deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  child.on('message', (raw) => {
    const event = ZTrainerEvent.parse(raw);
    if (event.type === 'checkpoint') {
      if (handedBack) child.kill('SIGKILL');
      const rel = path.relative(path.resolve(env.HZ_ARTIFACT_DIR), event.dir).split(path.sep).join('/');
      artifacts = artifacts
        .then(async () => {
          const { bytes, sha256 } = await describeDir(event.dir);
          for (const kind of event.isBest ? (['checkpoint', 'best'] as const) : (['checkpoint'] as const)) {
            await withApiRetry(() => api.worker.recordArtifact.mutate({ runId: data.runId, kind, epoch: kind === 'best' ? null : event.epoch, path: rel, bytes, sha256 }));
          }
        })
        .catch((err: Error) => runLog.warn({ err: err.message }, 'could not record checkpoint artifact'));
    }
    if (event.type === 'epoch') {
      runLog.info({ epoch: event.metric.epoch, loss: event.metric.loss, val_loss: event.metric.val_loss }, 'epoch');
      reporter.push(event.metric);
      deps.publish(data.runId, { type: 'epoch', runId: data.runId, attempt: start.attempt, metric: event.metric });
    } else if (event.type === 'result') result = event;
    else if (event.type === 'log') {
      lastLog = event.message;
      runLog.debug(event.message);
    }
  });

  const cancel = () => {
    if (child.connected) child.send({ type: 'cancel' } satisfies TTrainerCommand);
  };
  if (start.cancelRequested) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  const poll = setInterval(() => {
    if (reporter.cancelRequested) return cancel();
    api.worker.runControl
      .query({ runId: data.runId })
      .then((c) => c.cancelRequested && cancel())
      .catch(() => undefined);
  }, CANCEL_POLL_MS);

  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.send({
      type: 'start',
      runId: data.runId,
      config: data.config,
      backend: env.TFJS_BACKEND,
      checkpointDir,
      resumeFrom: existsSync(latest) ? latest : null,
      dataCacheDir: env.HZ_DATA_CACHE,
      artifactRoot: path.resolve(env.HZ_ARTIFACT_DIR),
    } satisfies TTrainerCommand);
  });
  clearInterval(poll);
  deps.shutdown.removeEventListener('abort', onShutdown);
  await reporter.flush();
  await artifacts;

  if (handedBack && !result) {
    await withApiRetry(() => api.worker.releaseRun.mutate({ runId: data.runId, reason: 'worker shut down; resumes from the last checkpoint' }));
    if (token) await job.moveToWait(token);
    runLog.info('handed the run back to the queue');
    throw new WaitingError();
  }

  const final = result as { result: TRunResult; provenance: unknown } | null;
  if (!final) {
    // Trainer crashed (exception, OOM, killed): let BullMQ retry; the next attempt resumes from the checkpoint.
    const message = `trainer exited with code ${exitCode} before finishing${lastLog ? `: ${lastLog.split('\n')[0]}` : ''}`;
    const isLast = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (isLast) await reportFailure(deps, data.runId, start.attempt, message);
    throw new Error(message);
  }
  await withApiRetry(() => api.worker.finishRun.mutate({ runId: data.runId, attempt: start.attempt, result: final.result, dataProvenance: final.provenance }));
  deps.publish(data.runId, { type: 'status', runId: data.runId, status: final.result.status, attempt: start.attempt });
  runLog.info({ status: final.result.status, testAccuracy: final.result.testAccuracy }, 'run finished');
  return final.result.status;
}

/** The epochs a checkpoint's state.json holds (libs/models' checkpoint format); [] when there is none. */
async function readCheckpointHistory(dir: string): Promise<TEpochMetric[]> {
  const file = path.join(dir, 'state.json');
  if (!existsSync(file)) return [];
  const parsed = z.object({ history: z.array(ZEpochMetric) }).safeParse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.success ? parsed.data.history : [];
}

export async function reportFailure(deps: JobDeps, runId: string, attempt: number, error: string): Promise<void> {
  await withApiRetry(() =>
    deps.api.worker.finishRun.mutate({
      runId,
      attempt: Math.max(1, attempt),
      result: { status: 'failed', bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: null, backend: null, device: null, error },
    }),
  );
}
