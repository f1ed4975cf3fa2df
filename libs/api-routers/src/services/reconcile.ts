import type { DbClient } from '@hyperzoo/db';
import type { TrainQueues } from '@hyperzoo/queue';
import { ZRunConfig } from '@hyperzoo/schemas';

import { OFFLINE_AFTER_MS } from './workers';

/**
 * Postgres is the source of truth. Every run it says is queued gets its job back (jobId = run
 * id, so a run that still has one is untouched): survives a Redis wipe. A run still marked
 * running whose worker stopped heartbeating and whose job is gone (Redis wiped while its
 * worker died) goes back to queued, and its next attempt resumes from the last checkpoint.
 */
export async function reconcileQueuedRuns(deps: { db: DbClient; queues: TrainQueues }): Promise<{ checked: number; enqueued: number; orphaned: number }> {
  const staleBefore = new Date(Date.now() - OFFLINE_AFTER_MS);
  const orphans = await deps.db.run.findMany({
    // Only runs a registered worker holds: a run without one is logged by a user's own script
    // through the SDK, which has no heartbeat, and must not be re-queued to a worker.
    where: { status: 'running', worker: { lastSeenAt: { lt: staleBefore } } },
    select: { id: true, resourceClass: true },
    take: 1000,
  });
  let orphaned = 0;
  for (const run of orphans) {
    if (await deps.queues.has(run.id, run.resourceClass)) continue; // BullMQ's stall check will retry it
    const res = await deps.db.run.updateMany({ where: { id: run.id, status: 'running' }, data: { status: 'queued', workerId: null, error: 'worker lost; re-queued' } });
    orphaned += res.count;
  }

  const runs = await deps.db.run.findMany({
    where: { status: 'queued' },
    select: { id: true, config: true, resourceClass: true, project: { select: { teamId: true } } },
    orderBy: { createdAt: 'asc' },
    take: 1000,
  });
  let enqueued = 0;
  for (const run of runs) {
    if (await deps.queues.has(run.id, run.resourceClass)) continue;
    await deps.queues.enqueue({ runId: run.id, teamId: run.project.teamId, config: ZRunConfig.parse(run.config) }, run.resourceClass);
    enqueued++;
  }
  return { checked: runs.length, enqueued, orphaned };
}
