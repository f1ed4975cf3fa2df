import type { DbClient } from '@hyperzoo/db';
import type { TrainQueues } from '@hyperzoo/queue';
import { ZRunConfig } from '@hyperzoo/schemas';

/**
 * Postgres is the source of truth: every run it says is queued gets its job back
 * (jobId = run id, so a run that still has one is untouched). Survives a Redis wipe.
 */
export async function reconcileQueuedRuns(deps: { db: DbClient; queues: TrainQueues }): Promise<{ checked: number; enqueued: number }> {
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
  return { checked: runs.length, enqueued };
}
