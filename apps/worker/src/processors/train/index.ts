import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Logger } from 'pino';

import { EpochReporter, withApiRetry } from '@hyperzoo/client/reporter';
import { FINAL_MODEL, readCheckpointHistory } from '@hyperzoo/models/checkpoint-layout';
import { JOB_NAMES, ZTrainJob } from '@hyperzoo/queue';
import type { TTrainJob } from '@hyperzoo/queue';
import type { TEpochMetric, TRunResult } from '@hyperzoo/schemas';

import { ensureRunModel, restoreLatestCheckpoint } from '../../artifacts';
import { defineProcessor } from '../../processor';
import type { JobContext } from '../../processor';
import type { TrainerHandlers } from '../../trainer-process';
import { pollCancellation } from './cancel-poll';
import { CheckpointUploader } from './checkpoints';
import { claimRun } from './claim';
import { handBackRun, reportFailure } from './finish';
import { prepareRunDir } from './run-dir';

/**
 * The attempt startRun gave each run this worker took: the final failure report must name it
 * (BullMQ's attemptsMade differs from it after a reconciler re-queue, and ingest refuses a
 * report from another attempt).
 */
const claimedAttempts = new Map<string, number>();

/** `training.run`: take the run, train it in a child process, relay its epochs, report the end. */
export const trainProcessor = defineProcessor({
  name: JOB_NAMES.train,
  schema: ZTrainJob,
  handle: runTrainJob,
  async onFinalFailure(job, err, deps) {
    // jobId is the run id, and it is all a tampered payload leaves us to trust.
    const runId = ZTrainJob.shape.runId.safeParse(job.id);
    if (!runId.success) return;
    const attempt = claimedAttempts.get(runId.data) ?? job.attemptsMade;
    claimedAttempts.delete(runId.data);
    await reportFailure(deps.api, runId.data, attempt, err.message);
  },
});

async function runTrainJob(data: TTrainJob, ctx: JobContext): Promise<TRunResult['status'] | 'skipped'> {
  const { api, artifacts, env, log, publish } = ctx.deps;
  const { runId } = data;
  const start = await claimRun(api, { runId, workerId: ctx.deps.workerId, backend: env.TFJS_BACKEND }, log);
  if (!start) return 'skipped';
  const { attempt } = start;
  claimedAttempts.set(runId, attempt);
  const runLog = log.child({ runId, attempt });
  publish(runId, { type: 'status', runId, status: 'running', attempt });

  const dir = await prepareRunDir(env.HZ_ARTIFACT_DIR, runId);
  // A run that started on another host resumes from the checkpoint it uploaded through the API.
  // The API takes artifacts only from a run's current attempt, so attempt 1 has none to fetch.
  const resumeFrom = await withApiRetry(() => restoreLatestCheckpoint(artifacts, runId, dir.checkpointDir, { remote: attempt > 1 }), { deadlineMs: 5 * 60_000 });
  const fromRunId = data.config.architecture === 'transfer' ? data.config.transfer.fromRunId : undefined;
  if (fromRunId !== undefined) await withApiRetry(() => ensureRunModel(artifacts, dir.artifactRoot, fromRunId), { deadlineMs: 5 * 60_000 });
  const reporter = new EpochReporter({ api, runId, attempt, spool: { file: dir.spoolFile }, onWarning: (message) => runLog.warn(message) });
  // The trainer checkpoints right after reporting an epoch; if this worker died in between, the
  // epoch is in the checkpoint but not in the DB, and the resumed run starts after it.
  reporter.backfill(await readBackfill(dir.latest, runLog));
  const checkpoints = new CheckpointUploader(artifacts, { runId, attempt }, runLog);

  const trainer = ctx.deps.trainers.acquire(ctx.slot);
  // The trainer outlives this job: nothing of this run may reach it once the run is over.
  let isOver = false;
  const handlers: TrainerHandlers = {
    onEpoch: (metric) => {
      runLog.info({ epoch: metric.epoch, loss: metric.loss, val_loss: metric.val_loss }, 'epoch');
      reporter.push(metric);
      publish(runId, { type: 'epoch', runId, attempt, metric });
      // A sweep rung: the trainer waits until the API has judged this epoch's report.
      if (start.rungEpochs.includes(metric.epoch)) {
        void reporter.flush().then(
          () => !isOver && trainer.proceed(metric.epoch, reporter.pruneRequested),
          (err: unknown) => {
            runLog.warn({ err: (err as Error).message }, 'no answer at a sweep rung; the run goes on');
            if (!isOver) trainer.proceed(metric.epoch, false);
          },
        );
      }
    },
    onCheckpoint: (checkpoint) => checkpoints.record(checkpoint),
    onLog: (message) => runLog.debug(message),
  };
  const running = trainer.run(
    {
      runId,
      config: data.config,
      backend: env.TFJS_BACKEND,
      checkpointDir: dir.checkpointDir,
      resumeFrom,
      dataCacheDir: env.HZ_DATA_CACHE,
      artifactRoot: dir.artifactRoot,
      modelUrls: env.HZ_MODEL_URL_ALLOWLIST,
      waitAtEpochs: start.rungEpochs,
      modelMaxBytes: env.HZ_MODEL_MAX_BYTES,
    },
    handlers,
  );
  // Shutdown: let the running epoch end and checkpoint, then stop; the job goes back to the queue.
  const onShutdown = () => {
    runLog.info('shutting down: waiting for the current epoch checkpoint');
    trainer.stopAfterCheckpoint();
  };
  if (ctx.deps.shutdown.aborted) onShutdown();
  else ctx.deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  const cancel = () => {
    if (!isOver) trainer.cancel();
  };
  if (start.cancelRequested) cancel();
  ctx.signal?.addEventListener('abort', cancel, { once: true });
  const stopPolling = pollCancellation({ api, runId, isRequested: () => reporter.cancelRequested, onCancel: cancel });

  const exit = await running;
  isOver = true;
  stopPolling();
  ctx.signal?.removeEventListener('abort', cancel);
  ctx.deps.shutdown.removeEventListener('abort', onShutdown);
  const reuse = ctx.deps.trainers.release(ctx.slot, trainer, exit);
  runLog.debug({ trainerPid: trainer.pid, trainerRuns: trainer.runs, liveTensors: exit.idle?.liveTensors ?? null, trainer: reuse }, 'trainer released');
  await reporter.flush();
  await checkpoints.idle();

  if (exit.stopped && !exit.result) return handBackRun(ctx, runId, runLog);
  if (!exit.result) {
    // Trainer crashed (exception, OOM, killed): let BullMQ retry; the next attempt resumes from the checkpoint.
    const message = `trainer exited with code ${exit.code} before finishing${exit.lastLog ? `: ${exit.lastLog.split('\n')[0]}` : ''}`;
    const isLast = ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1);
    if (isLast) await reportFailure(api, runId, attempt, message);
    throw new Error(message);
  }
  const { result, provenance } = exit.result;
  const finalDir = path.join(dir.checkpointDir, FINAL_MODEL);
  if (result.status === 'succeeded' && existsSync(finalDir)) {
    checkpoints.recordModel(finalDir);
    await checkpoints.idle();
  }
  await withApiRetry(() => api.worker.finishRun.mutate({ runId, attempt, result, dataProvenance: provenance }));
  claimedAttempts.delete(runId);
  publish(runId, { type: 'status', runId, status: result.status, attempt });
  runLog.info({ status: result.status, testAccuracy: result.testAccuracy }, 'run finished');
  return result.status;
}

/** The history of the checkpoint a resumed run starts from; a broken one is the trainer's to report. */
async function readBackfill(latest: string, log: Logger): Promise<TEpochMetric[]> {
  try {
    return await readCheckpointHistory(latest);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'cannot read the checkpoint history; nothing to backfill');
    return [];
  }
}
