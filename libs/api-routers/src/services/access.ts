import type { Db } from '@hyperzoo/db';

import { DomainError } from '../errors';
import type { TPrincipal } from './auth';

const ROLE_RANK = { viewer: 0, member: 1, admin: 2, owner: 3 } as const;
export type TRole = keyof typeof ROLE_RANK;

/** API-key scopes and the role each one stands for; the worker scope stands for none (worker procedures only). */
const SCOPE_ROLE: Record<string, TRole> = { 'runs:read': 'viewer', 'runs:write': 'member', admin: 'admin' };

export interface TeamAccess {
  teamId: string;
  teamSlug: string;
  role: TRole;
}

function roleOfKey(scopes: string[]): TRole {
  let best: TRole | null = null;
  for (const s of scopes) {
    const r = SCOPE_ROLE[s];
    if (r && (best === null || ROLE_RANK[r] > ROLE_RANK[best])) best = r;
  }
  if (best === null) throw new DomainError('FORBIDDEN', 'this API key has no scope that grants team access');
  return best;
}

/** Before any lookup, so a worker token learns nothing about teams or runs from these procedures. */
function refuseWorkerToken(principal: TPrincipal): void {
  if (principal.kind === 'apiKey' && principal.scopes.includes('worker')) {
    throw new DomainError('FORBIDDEN', 'a worker token may only call the worker procedures');
  }
}

/** Loads the caller's access to a team (by slug or id) and checks the minimum role. */
export async function getTeamAccess(db: Db, principal: TPrincipal, team: { slug: string } | { id: string }, minRole: TRole): Promise<TeamAccess> {
  refuseWorkerToken(principal);
  const row = await db.team.findUnique({ where: 'slug' in team ? { slug: team.slug } : { id: team.id }, select: { id: true, slug: true } });
  // Unknown team and foreign team answer the same, so team names do not leak.
  const denied = new DomainError('NOT_FOUND', `team ${'slug' in team ? `"${team.slug}"` : team.id} not found`);
  if (!row) throw denied;
  let role: TRole;
  if (principal.kind === 'apiKey') {
    if (principal.teamId !== row.id) throw denied;
    role = roleOfKey(principal.scopes);
  } else {
    const m = await db.membership.findUnique({ where: { teamId_userId: { teamId: row.id, userId: principal.userId } }, select: { role: true } });
    if (!m) throw denied;
    role = m.role;
  }
  if (ROLE_RANK[role] < ROLE_RANK[minRole]) throw new DomainError('FORBIDDEN', `needs role ${minRole} in team "${row.slug}", caller has ${role}`);
  return { teamId: row.id, teamSlug: row.slug, role };
}

/** Access to the team that owns a run. */
export async function getRunAccess(db: Db, principal: TPrincipal, runId: string, minRole: TRole): Promise<TeamAccess> {
  refuseWorkerToken(principal);
  const run = await db.run.findUnique({ where: { id: runId }, select: { project: { select: { teamId: true } } } });
  if (!run) throw new DomainError('NOT_FOUND', `run ${runId} not found`);
  try {
    return await getTeamAccess(db, principal, { id: run.project.teamId }, minRole);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') throw new DomainError('NOT_FOUND', `run ${runId} not found`);
    throw err;
  }
}

/** Access to the team that owns a sweep (through its project). */
export async function getSweepAccess(db: Db, principal: TPrincipal, sweepId: string, minRole: TRole): Promise<TeamAccess> {
  refuseWorkerToken(principal);
  const sweep = await db.sweep.findUnique({ where: { id: sweepId }, select: { project: { select: { teamId: true } } } });
  if (!sweep) throw new DomainError('NOT_FOUND', `sweep ${sweepId} not found`);
  try {
    return await getTeamAccess(db, principal, { id: sweep.project.teamId }, minRole);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') throw new DomainError('NOT_FOUND', `sweep ${sweepId} not found`);
    throw err;
  }
}

export function requireWorkerScope(principal: TPrincipal): { teamId: string } {
  if (principal.kind !== 'apiKey' || !principal.scopes.includes('worker')) {
    throw new DomainError('FORBIDDEN', 'worker procedures need a worker token (an API key with the "worker" scope)');
  }
  return { teamId: principal.teamId };
}
