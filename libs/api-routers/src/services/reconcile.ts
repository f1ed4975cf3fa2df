import type { DbClient } from '@hyperzoo/db';
import type { TrainQueues } from '@hyperzoo/queue';
import { ZRunConfig } from '@hyperzoo/schemas';

import { failOutOfAttempts, MAX_RUN_ATTEMPTS } from './attempts';
import type { TStatusPublisher } from './live-hub';
import { advanceSweep } from './sweeps/scheduler';
import { OFFLINE_AFTER_MS } from './workers';

/** Running sweeps looked at per pass. */
const SWEEPS_PER_PASS = 200;

/**
 * Postgres is the source of truth. Every run it says is queued gets its job back (jobId = run
 * id, so a run that still has one is untouched): survives a Redis wipe. A run still marked
 * running whose worker stopped heartbeating and whose job is gone (Redis wiped while its
 * worker died) goes back to queued, and its next attempt resumes from the last checkpoint.
 * A run out of attempts ends failed instead (no loop between failing and re-queueing).
 */
export async function reconcileQueuedRuns(
  deps: { db: DbClient; queues: TrainQueues; live: TStatusPublisher },
): Promise<{ checked: number; enqueued: number; orphaned: number; exhausted: number; sweepRuns: number }> {
  const staleBefore = new Date(Date.now() - OFFLINE_AFTER_MS);
  const orphans = await deps.db.run.findMany({
    // Only runs a registered worker holds: a run without one is logged by a user's own script
    // through the SDK, which has no heartbeat, and must not be re-queued to a worker.
    where: { status: 'running', worker: { lastSeenAt: { lt: staleBefore } } },
    select: { id: true, resourceClass: true, attempt: true, project: { select: { teamId: true } } },
    take: 1000,
  });
  let orphaned = 0;
  let exhausted = 0;
  for (const run of orphans) {
    if (await deps.queues.has(run.id, { teamId: run.project.teamId, resourceClass: run.resourceClass })) continue; // BullMQ's stall check will retry it
    if (run.attempt >= MAX_RUN_ATTEMPTS) {
      if (await failOutOfAttempts(deps.db, run.id, 'worker lost')) {
        exhausted++;
        deps.live.publishStatus([{ runId: run.id, attempt: run.attempt, status: 'failed' }]);
      }
      continue;
    }
    const res = await deps.db.run.updateMany({ where: { id: run.id, status: 'running' }, data: { status: 'queued', workerId: null, error: 'worker lost; re-queued' } });
    if (res.count === 1) deps.live.publishStatus([{ runId: run.id, attempt: run.attempt, status: 'queued' }]);
    orphaned += res.count;
  }

  // Running sweeps fill their free slots (a run that ended while the API could not advance its sweep).
  let sweepRuns = 0;
  const sweeps = await deps.db.sweep.findMany({ where: { status: 'running' }, select: { id: true }, orderBy: { updatedAt: 'asc' }, take: SWEEPS_PER_PASS });
  for (const s of sweeps) {
    try {
      sweepRuns += (await advanceSweep(deps, s.id)).created;
    } catch (err) {
      console.warn(`sweep ${s.id}: cannot advance: ${(err as Error).message}`);
    }
  }

  const runs = await deps.db.run.findMany({
    // A paused sweep's queued runs wait for resume.
    where: { status: 'queued', OR: [{ sweepId: null }, { sweep: { status: 'running' } }] },
    select: { id: true, config: true, resourceClass: true, attempt: true, project: { select: { teamId: true } } },
    orderBy: { createdAt: 'asc' },
    take: 1000,
  });
  let enqueued = 0;
  for (const run of runs) {
    const teamId = run.project.teamId;
    if (await deps.queues.has(run.id, { teamId, resourceClass: run.resourceClass })) continue;
    if (run.attempt >= MAX_RUN_ATTEMPTS) {
      if (await failOutOfAttempts(deps.db, run.id)) {
        exhausted++;
        deps.live.publishStatus([{ runId: run.id, attempt: run.attempt, status: 'failed' }]);
      }
      continue;
    }
    await deps.queues.enqueue({ runId: run.id, teamId, config: ZRunConfig.parse(run.config) }, run.resourceClass);
    enqueued++;
  }
  return { checked: runs.length, enqueued, orphaned, exhausted, sweepRuns };
}
