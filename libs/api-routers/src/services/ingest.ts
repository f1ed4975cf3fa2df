import { randomUUID } from 'node:crypto';

import { Prisma } from '@hyperzoo/db';
import type { Db, DbClient } from '@hyperzoo/db';
import { ACTIVE_RUN_STATUSES } from '@hyperzoo/schemas';
import type { TEpochMetric, TRunResult } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { closeAttempts, openAttempt } from './attempt-history';
import { failOutOfAttempts, MAX_RUN_ATTEMPTS } from './attempts';
import { writeEpochs } from './epochs';
import { judgeRungs, sweepStartInfo } from './sweeps/pruning';
import type { TPruneAnswer } from './sweeps/pruning';
import { runsServedBy } from './platform-pool';
import type { TWorkerScope } from './platform-pool';
import { storeRunSummary } from './run-summary';

/** A run of a team the worker serves (its token's, or one in the platform pool), or it does not exist for that worker. */
async function findRunForTeam(db: Db, runId: string, scope: TWorkerScope) {
  const run = await db.run.findFirst({
    where: { id: runId, ...runsServedBy(scope) },
    select: { id: true, status: true, attempt: true, cancelRequestedAt: true, sweepId: true, source: true },
  });
  if (!run) throw new DomainError('NOT_FOUND', `run ${runId} not found`);
  return run;
}

/** Only runs created by the SDK take epochs from a runs:write key; worker runs take them from their worker. */
export const notSdkRun = (runId: string) =>
  new DomainError('FORBIDDEN', `run ${runId} is trained by a worker; only runs created by the SDK take epochs from it`);

/**
 * Reports (epochs, artifacts) land only in a running run, from its current attempt: a stale
 * attempt (a worker that lost the run) or a future one is refused, as is a run that ended.
 * Replays of the current attempt stay idempotent (the writes are upserts).
 */
function requireCurrentAttempt(run: { id: string; status: string; attempt: number }, attempt: number): void {
  if (run.status !== 'running') throw new DomainError('PRECONDITION_FAILED', `run ${run.id} is ${run.status}; it takes no reports`);
  if (attempt !== run.attempt) {
    throw new DomainError('PRECONDITION_FAILED', `run ${run.id} is on attempt ${run.attempt}; a report from attempt ${attempt} is refused`);
  }
}

/**
 * A worker takes the run: attempt n+1. Terminal runs are refused so a stale job cannot resurrect
 * them; a run out of attempts ends failed instead of looping between workers.
 */
export async function startRun(
  db: Db,
  scope: TWorkerScope,
  input: { runId: string; workerId: string | null; backend: string; device: string },
): Promise<{ attempt: number; cancelRequested: boolean; rungEpochs: number[] }> {
  const run = await findRunForTeam(db, input.runId, scope);
  if (!(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) {
    throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} is ${run.status}; nothing to start`);
  }
  const sweep = await sweepStartInfo(db, input.runId);
  // The worker skips the job; resuming the sweep enqueues the run again.
  if (sweep.blockedBy) throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} waits: ${sweep.blockedBy}`);
  // The worker row must be the token's team's (a pool worker's is the pool team's): an unknown or foreign id is refused, not a 500.
  if (input.workerId && (await db.worker.count({ where: { id: input.workerId, teamId: scope.teamId } })) === 0) {
    throw new DomainError('NOT_FOUND', `worker ${input.workerId} not found`);
  }
  if (run.attempt >= MAX_RUN_ATTEMPTS) {
    await failOutOfAttempts(db, input.runId);
    throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} has used its ${MAX_RUN_ATTEMPTS} attempts; it ended failed`);
  }
  const updated = await db.run.update({
    where: { id: input.runId },
    data: {
      status: 'running',
      attempt: { increment: 1 },
      workerId: input.workerId,
      backend: input.backend,
      device: input.device,
      startedAt: new Date(),
      error: null,
    },
    select: { attempt: true, cancelRequestedAt: true },
  });
  await openAttempt(db, { runId: input.runId, attempt: updated.attempt, workerId: input.workerId, backend: input.backend, device: input.device });
  return { attempt: updated.attempt, cancelRequested: updated.cancelRequestedAt !== null, rungEpochs: sweep.rungEpochs };
}

/**
 * Idempotent on (run, epoch): a retried or replayed report overwrites, never duplicates. A
 * backfill (epochs recovered from a checkpoint) fills gaps only, never overwriting a report.
 */
export async function reportEpochs(
  db: Db,
  scope: TWorkerScope,
  input: { runId: string; attempt: number; epochs: TEpochMetric[]; backfill?: boolean; sdkOnly?: boolean },
): Promise<{ stored: number; cancelRequested: boolean }> {
  const run = await findRunForTeam(db, input.runId, scope);
  // Checked on the same row read: one lookup per report, not two.
  if (input.sdkOnly && run.source !== 'sdk') throw notSdkRun(input.runId);
  requireCurrentAttempt(run, input.attempt);
  const stored = await writeEpochs(db, { ...input, mode: input.backfill ? 'fill-gaps' : 'overwrite' });
  return { stored, cancelRequested: run.cancelRequestedAt !== null };
}

/** A worker's report: stored, then, for a sweep run at a Hyperband rung, whether it goes on. */
export async function reportWorkerEpochs(
  db: DbClient,
  scope: TWorkerScope,
  input: { runId: string; attempt: number; epochs: TEpochMetric[]; backfill?: boolean },
): Promise<{ stored: number; cancelRequested: boolean } & TPruneAnswer> {
  const reported = await reportEpochs(db, scope, input);
  return { ...reported, ...(await judgeRungs(db, input.runId, input.epochs.map((e) => e.epoch))) };
}

export async function finishRun(
  db: Db,
  scope: TWorkerScope,
  input: { runId: string; attempt: number; result: TRunResult; dataProvenance?: unknown },
): Promise<{ sweepId: string | null }> {
  const run = await findRunForTeam(db, input.runId, scope);
  if (run.status !== 'running' && run.status !== 'queued') return { sweepId: run.sweepId }; // already final: a replay is a no-op
  const r = input.result;
  if (run.attempt === 0) {
    // Never started: only a worker that could not take its job (an invalid payload) may end it, as failed.
    if (r.status !== 'failed') throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} was never started; it cannot have ${r.status}`);
  } else if (input.attempt !== run.attempt) {
    throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} is on attempt ${run.attempt}; a result from attempt ${input.attempt} is refused`);
  }
  await db.run.update({
    where: { id: input.runId },
    data: {
      status: r.status,
      bestEpoch: r.bestEpoch,
      stoppedEpoch: r.stoppedEpoch,
      testLoss: r.testLoss,
      testAccuracy: r.testAccuracy,
      paramCount: r.paramCount,
      backend: r.backend ?? undefined,
      device: r.device ?? undefined,
      error: r.error,
      finishedAt: new Date(),
      ...(input.dataProvenance !== undefined ? { dataProvenance: input.dataProvenance as Prisma.InputJsonValue } : {}),
    },
  });
  await closeAttempts(db, input.runId, r.status, r.error, { backend: r.backend, device: r.device });
  await storeRunSummary(db, input.runId);
  return { sweepId: run.sweepId };
}

/** Whether the run should keep going (the worker polls this between epochs as a fallback to events). */
export async function getRunControl(db: Db, scope: TWorkerScope, runId: string) {
  const run = await findRunForTeam(db, runId, scope);
  return { status: run.status, cancelRequested: run.cancelRequestedAt !== null };
}

/** A worker hands a run back (graceful shutdown): queued again, attempt kept, so the next worker resumes it. */
export async function releaseRun(db: Db, scope: TWorkerScope, input: { runId: string; reason: string }): Promise<{ released: boolean }> {
  await findRunForTeam(db, input.runId, scope);
  const res = await db.run.updateMany({ where: { id: input.runId, status: 'running' }, data: { status: 'queued', workerId: null, error: input.reason } });
  if (res.count === 1) await closeAttempts(db, input.runId, 'released', input.reason);
  return { released: res.count === 1 };
}

/**
 * Records a checkpoint (or other file set) in the artifact store: one upsert on run + kind +
 * epoch, whose unique index treats the null epoch of `best` and `model` as equal. `bestPath`: the
 * checkpoint is the best one too, stored there; both rows go in one statement, so a checkpoint
 * is never recorded without the best one up to its epoch.
 */
export async function recordArtifact(
  db: Db,
  scope: TWorkerScope,
  input: { runId: string; attempt?: number; kind: string; epoch: number | null; path: string; bytes: number; sha256: string; bestPath?: string | null },
): Promise<void> {
  const run = await findRunForTeam(db, input.runId, scope);
  requireCurrentAttempt(run, input.attempt ?? run.attempt);
  // bytes as text: Prisma rounds number parameters to 15 digits.
  const row = (kind: string, epoch: number | null, path: string) =>
    Prisma.sql`(${randomUUID()}::uuid, ${input.runId}::uuid, ${kind}, ${epoch}::int, ${path}, ${String(input.bytes)}::bigint, ${input.sha256})`;
  const rows = [row(input.kind, input.epoch, input.path), ...(input.bestPath ? [row('best', null, input.bestPath)] : [])];
  await db.$executeRaw`
    INSERT INTO "Artifact" ("id", "runId", "kind", "epoch", "path", "bytes", "sha256")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("runId", "kind", "epoch") DO UPDATE SET "path" = EXCLUDED."path", "bytes" = EXCLUDED."bytes", "sha256" = EXCLUDED."sha256"`;
}

/** Before an artifact upload is received: the token's team owns the run, running on `attempt`. */
export async function checkArtifactUpload(db: Db, scope: TWorkerScope, input: { runId: string; attempt: number }): Promise<void> {
  requireCurrentAttempt(await findRunForTeam(db, input.runId, scope), input.attempt);
}
