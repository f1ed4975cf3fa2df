import { randomUUID } from 'node:crypto';

import { Prisma } from '@hyperzoo/db';
import { queryOnPool } from '@hyperzoo/db';
import type { Db, DbClient } from '@hyperzoo/db';
import { ACTIVE_RUN_STATUSES } from '@hyperzoo/schemas';
import type { TEpochMetric, TRunResult, TRunStatus } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { closeAttempts, openAttempt } from './attempt-history';
import { failOutOfAttempts, MAX_RUN_ATTEMPTS } from './attempts';
import { writeEpochs } from './epochs';
import { judgeRungs, sweepStartInfo } from './sweeps/pruning';
import type { TPruneAnswer } from './sweeps/pruning';
import { runsServedBy } from './platform-pool';
import type { TWorkerScope } from './platform-pool';
import { storeRunSummary } from './run-summary';

interface TServedRun {
  id: string;
  status: TRunStatus;
  attempt: number;
  cancelRequested: boolean;
  sweepId: string | null;
  source: 'worker' | 'sdk';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// runsServedBy in SQL: every report, upload and start of a run reads this, so it skips Prisma's engine.
const SERVED_RUN_SQL = `SELECT r."id"::text AS "id", r."status"::text AS "status", r."attempt", r."cancelRequestedAt" IS NOT NULL AS "cancelRequested",
    r."sweepId"::text AS "sweepId", r."source"::text AS "source"
  FROM "Run" r JOIN "Project" p ON p."id" = r."projectId"
  WHERE r."id" = $1::uuid
    AND (p."teamId" = $2::uuid OR ($3::boolean AND EXISTS (SELECT 1 FROM "Team" t WHERE t."id" = p."teamId" AND t."usesPlatformPool")))`;

/** A run of a team the worker serves (its token's, or one in the platform pool), or it does not exist for that worker. */
async function findRunForTeam(db: Db, runId: string, scope: TWorkerScope): Promise<TServedRun> {
  if (!UUID.test(runId)) throw new DomainError('NOT_FOUND', `run ${runId} not found`);
  const rows = await queryOnPool<TServedRun>(db, SERVED_RUN_SQL, [runId, scope.teamId, scope.servesPlatformPool]);
  const run =
    rows !== null
      ? rows[0]
      : await db.run
          .findFirst({ where: { id: runId, ...runsServedBy(scope) }, select: { id: true, status: true, attempt: true, cancelRequestedAt: true, sweepId: true, source: true } })
          .then((r) => r && { ...r, cancelRequested: r.cancelRequestedAt !== null });
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
  const sweep = await sweepStartInfo(db, input.runId, run);
  // The worker skips the job; resuming the sweep enqueues the run again.
  if (sweep.blockedBy) throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} waits: ${sweep.blockedBy}`);
  // The worker row must be the token's team's (a pool worker's is the pool team's): an unknown or foreign id is refused, not a 500.
  const worker = input.workerId ? await db.worker.findFirst({ where: { id: input.workerId, teamId: scope.teamId }, select: { name: true, hostname: true } }) : null;
  if (input.workerId && !worker) throw new DomainError('NOT_FOUND', `worker ${input.workerId} not found`);
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
  await openAttempt(db, { runId: input.runId, attempt: updated.attempt, workerId: input.workerId, backend: input.backend, device: input.device, worker });
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
  const { sweepId: _sweepId, ...reported } = await storeEpochs(db, scope, input);
  return reported;
}

async function storeEpochs(
  db: Db,
  scope: TWorkerScope,
  input: { runId: string; attempt: number; epochs: TEpochMetric[]; backfill?: boolean; sdkOnly?: boolean },
): Promise<{ stored: number; cancelRequested: boolean; sweepId: string | null }> {
  const run = await findRunForTeam(db, input.runId, scope);
  // Checked on the same row read: one lookup per report, not two.
  if (input.sdkOnly && run.source !== 'sdk') throw notSdkRun(input.runId);
  requireCurrentAttempt(run, input.attempt);
  const stored = await writeEpochs(db, { ...input, mode: input.backfill ? 'fill-gaps' : 'overwrite' });
  return { stored, cancelRequested: run.cancelRequested, sweepId: run.sweepId };
}

/** A worker's report: stored, then, for a sweep run at a Hyperband rung, whether it goes on. */
export async function reportWorkerEpochs(
  db: DbClient,
  scope: TWorkerScope,
  input: { runId: string; attempt: number; epochs: TEpochMetric[]; backfill?: boolean },
): Promise<{ stored: number; cancelRequested: boolean } & TPruneAnswer> {
  const { sweepId, ...reported } = await storeEpochs(db, scope, input);
  return { ...reported, ...(await judgeRungs(db, input.runId, input.epochs.map((e) => e.epoch), { sweepId })) };
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
  return { status: run.status, cancelRequested: run.cancelRequested };
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
  if (!UUID.test(input.runId)) throw new DomainError('NOT_FOUND', `run ${input.runId} not found`);
  // bytes as text: Prisma rounds number parameters to 15 digits.
  const row = (kind: string, epoch: number | null, path: string) =>
    Prisma.sql`(${randomUUID()}::uuid, ${input.runId}::uuid, ${kind}, ${epoch}::int, ${path}, ${String(input.bytes)}::bigint, ${input.sha256})`;
  const rows = [row(input.kind, input.epoch, input.path), ...(input.bestPath ? [row('best', null, input.bestPath)] : [])];
  // The run is checked in the statement itself (served, running, on this attempt): nothing is
  // recorded for a run that moved on while its artifact was being received.
  const attempt = input.attempt === undefined ? Prisma.empty : Prisma.sql`AND r."attempt" = ${input.attempt}::int`;
  const written = await db.$executeRaw`
    INSERT INTO "Artifact" ("id", "runId", "kind", "epoch", "path", "bytes", "sha256")
    SELECT v.* FROM (VALUES ${Prisma.join(rows)}) AS v
    WHERE EXISTS (
      SELECT 1 FROM "Run" r JOIN "Project" p ON p."id" = r."projectId"
      WHERE r."id" = ${input.runId}::uuid AND r."status" = 'running' ${attempt}
        AND (p."teamId" = ${scope.teamId}::uuid OR (${scope.servesPlatformPool}::boolean AND EXISTS (SELECT 1 FROM "Team" t WHERE t."id" = p."teamId" AND t."usesPlatformPool"))))
    ON CONFLICT ("runId", "kind", "epoch") DO UPDATE SET "path" = EXCLUDED."path", "bytes" = EXCLUDED."bytes", "sha256" = EXCLUDED."sha256"`;
  if (written > 0) return;
  // Nothing written: say why, as a lookup would have.
  const run = await findRunForTeam(db, input.runId, scope);
  requireCurrentAttempt(run, input.attempt ?? run.attempt);
  throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} changed while its artifact was received; it is not recorded`);
}

/** Before an artifact upload is received: the token's team owns the run, running on `attempt`. */
export async function checkArtifactUpload(db: Db, scope: TWorkerScope, input: { runId: string; attempt: number }): Promise<void> {
  requireCurrentAttempt(await findRunForTeam(db, input.runId, scope), input.attempt);
}
