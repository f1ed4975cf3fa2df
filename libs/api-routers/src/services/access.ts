import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';

import { DomainError } from '../errors';
import type { TPrincipal } from './auth';
import type { TWorkerScope } from './platform-pool';

export const ROLE_RANK = { viewer: 0, member: 1, admin: 2, owner: 3 } as const;
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

/**
 * Loads the caller's access to a team (by slug or id) and checks the minimum role. An API key
 * carries its team and its user's role (resolveApiKey), so it costs no query; a session costs one
 * (team and membership).
 */
export async function getTeamAccess(db: Db, principal: TPrincipal, team: { slug: string } | { id: string }, minRole: TRole): Promise<TeamAccess> {
  refuseWorkerToken(principal);
  // Unknown team and foreign team answer the same, so team names do not leak.
  const denied = new DomainError('NOT_FOUND', `team ${'slug' in team ? `"${team.slug}"` : team.id} not found`);
  let access: { teamId: string; teamSlug: string; role: TRole };
  if (principal.kind === 'apiKey') {
    if ('slug' in team ? principal.teamSlug !== team.slug : principal.teamId !== team.id) throw denied;
    let role = roleOfKey(principal.scopes);
    // A user's key never does more than its user may now: demoted or removed, the key follows
    // (the role is read with the key, in the request's one lookup).
    if (principal.userId !== null) {
      if (principal.userRole === null) throw denied;
      if (ROLE_RANK[principal.userRole] < ROLE_RANK[role]) role = principal.userRole;
    }
    access = { teamId: principal.teamId, teamSlug: principal.teamSlug, role };
  } else {
    const match = 'slug' in team ? Prisma.sql`t."slug" = ${team.slug}` : Prisma.sql`t."id" = ${team.id}::uuid`;
    const [row] = await db.$queryRaw<{ id: string; slug: string; role: TRole }[]>`
      SELECT t."id", t."slug", m."role"::text AS role FROM "Team" t
      JOIN "Membership" m ON m."teamId" = t."id" AND m."userId" = ${principal.userId}::uuid
      WHERE ${match}`;
    if (!row) throw denied;
    access = { teamId: row.id, teamSlug: row.slug, role: row.role };
  }
  if (ROLE_RANK[access.role] < ROLE_RANK[minRole]) throw new DomainError('FORBIDDEN', `needs role ${minRole} in team "${access.teamSlug}", caller has ${access.role}`);
  return access;
}

const minRoleOf = (...roles: TRole[]) => roles.reduce((a, b) => (ROLE_RANK[b] < ROLE_RANK[a] ? b : a));

/**
 * Access for managing one's own API keys. As getTeamAccess, and besides: a user's key also
 * reaches the other teams its user belongs to, so someone who joined with `hz join` (using the
 * key of their own team) can make a key for the team they joined. Across teams the role is
 * clamped to member and to the key's own scopes: the key mints keys no stronger than itself,
 * and admin work across teams needs the admin's own key or session.
 */
export async function getOwnKeysAccess(db: Db, principal: TPrincipal, slug: string, minRole: TRole): Promise<TeamAccess> {
  if (principal.kind !== 'apiKey' || principal.userId === null || principal.teamSlug === slug) return getTeamAccess(db, principal, { slug }, minRole);
  refuseWorkerToken(principal);
  const keyRole = roleOfKey(principal.scopes);
  const [row] = await db.$queryRaw<{ id: string; role: TRole }[]>`
    SELECT t."id", m."role"::text AS role FROM "Team" t
    JOIN "Membership" m ON m."teamId" = t."id" AND m."userId" = ${principal.userId}::uuid
    WHERE t."slug" = ${slug}`;
  if (!row) throw new DomainError('NOT_FOUND', `team "${slug}" not found`);
  const role = minRoleOf(row.role, keyRole, 'member');
  if (ROLE_RANK[role] < ROLE_RANK[minRole]) throw new DomainError('FORBIDDEN', `needs role ${minRole} in team "${slug}", caller has ${role}`);
  return { teamId: row.id, teamSlug: slug, role };
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

/** Access to the team that owns a sweep; another team's sweep answers as a missing one. */
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

/** The user behind a caller: a session's, or a user's API key's (worker tokens have none). */
export function requireUser(principal: TPrincipal): string {
  refuseWorkerToken(principal);
  const userId = principal.kind === 'user' ? principal.userId : principal.userId;
  if (!userId) throw new DomainError('FORBIDDEN', 'needs a user: log in, or use an API key created by a user');
  return userId;
}

export function requireWorkerScope(principal: TPrincipal, platformPoolTeamId: string | null): TWorkerScope {
  if (principal.kind !== 'apiKey' || !principal.scopes.includes('worker')) {
    throw new DomainError('FORBIDDEN', 'worker procedures need a worker token (an API key with the "worker" scope)');
  }
  return { teamId: principal.teamId, servesPlatformPool: principal.teamId === platformPoolTeamId };
}
