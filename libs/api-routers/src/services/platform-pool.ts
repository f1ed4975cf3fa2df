import type { Db, DbClient } from '@hyperzoo/db';
import type { TQueueRoute, TrainQueues } from '@hyperzoo/queue';
import { ZRunConfig } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import type { TPolicy } from './policy';

/**
 * The platform pool: the operator names a team (HZ_PLATFORM_POOL_TEAM) whose workers also serve
 * every team that opted in. Both sides consent: the operator by naming the pool, a team's admin
 * by opting the team in (its runs' configs and data then reach the pool's workers).
 */

/** The pool team's id, or a one-line error naming the variable when the slug is not a team. */
export async function resolvePlatformPoolTeam(db: Db, slug: string | undefined): Promise<string | null> {
  if (!slug) return null;
  const team = await db.team.findUnique({ where: { slug }, select: { id: true } });
  if (!team) throw new Error(`hyperzoo api: HZ_PLATFORM_POOL_TEAM="${slug}" is not a team; create it first (or leave the variable empty)`);
  return team.id;
}

/** Routes each team's jobs to the pool's queues while it has opted in, to its own otherwise. */
export function platformPoolRoute(db: Db, poolTeamId: string | null): TQueueRoute {
  if (poolTeamId === null) return (teamId) => Promise.resolve(teamId);
  return async (teamId) => {
    if (teamId === poolTeamId) return teamId;
    const team = await db.team.findUnique({ where: { id: teamId }, select: { usesPlatformPool: true } });
    return team?.usesPlatformPool ? poolTeamId : teamId;
  };
}

/** What a worker token may serve: its own team's runs, and with the pool team's token, those of the teams in the pool. */
export interface TWorkerScope {
  teamId: string;
  servesPlatformPool: boolean;
}

/** The runs a worker of this scope may see, as a Run filter. */
export function runsServedBy(scope: TWorkerScope) {
  return scope.servesPlatformPool
    ? { project: { OR: [{ teamId: scope.teamId }, { team: { usesPlatformPool: true } }] } }
    : { project: { teamId: scope.teamId } };
}

/**
 * Opts a team in or out. Its waiting jobs move with it (taken out of the old pool's queues before
 * the change, added to the new one's after), so no job waits where no worker looks for it.
 * Runs already running finish where they are.
 */
export async function setPlatformPool(
  deps: { db: DbClient; queues: TrainQueues; policy: TPolicy },
  teamId: string,
  enabled: boolean,
): Promise<{ usesPlatformPool: boolean; moved: number }> {
  if (enabled && deps.policy.platformPoolTeamId === null) {
    throw new DomainError('PRECONDITION_FAILED', 'this platform has no shared worker pool (the operator sets HZ_PLATFORM_POOL_TEAM)');
  }
  if (teamId === deps.policy.platformPoolTeamId) throw new DomainError('PRECONDITION_FAILED', 'this team is the platform pool: its workers already serve it');
  const team = await deps.db.team.findUniqueOrThrow({ where: { id: teamId }, select: { usesPlatformPool: true } });
  if (team.usesPlatformPool === enabled) return { usesPlatformPool: enabled, moved: 0 };
  const queued = await deps.db.run.findMany({
    where: { project: { teamId }, status: 'queued', deletedAt: null, OR: [{ sweepId: null }, { sweep: { status: 'running' } }] },
    select: { id: true, config: true, resourceClass: true },
  });
  const taken = [];
  for (const run of queued) if (await deps.queues.remove(run.id, { teamId, resourceClass: run.resourceClass })) taken.push(run);
  await deps.db.team.update({ where: { id: teamId }, data: { usesPlatformPool: enabled } });
  // Jobs that could not be taken out (a worker had just taken them) stay; the reconciler re-adds any run that ends up with none.
  for (const run of taken) await deps.queues.enqueue({ runId: run.id, teamId, config: ZRunConfig.parse(run.config) }, run.resourceClass);
  return { usesPlatformPool: enabled, moved: taken.length };
}
