import type { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import type { TApiKeyScope, TApiKeySummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { ROLE_RANK, requireUser } from './access';
import type { TeamAccess, TRole } from './access';
import type { TPrincipal } from './auth';
import { createApiKey } from './auth';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The role a caller needs to put a scope on a key: a key never carries more than its creator may
 * do (and getTeamAccess clamps it to the user's current role on every request). Worker tokens act
 * for the whole team, not for a user, so only admins make them.
 */
const SCOPE_MIN_ROLE: Record<TApiKeyScope, TRole> = { 'runs:read': 'viewer', 'runs:write': 'member', admin: 'admin', worker: 'admin' };

const isAdmin = (team: TeamAccess) => ROLE_RANK[team.role] >= ROLE_RANK.admin;

const keySummarySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} satisfies Prisma.ApiKeySelect;

/**
 * Any member of the team (a viewer too) creates keys for themselves, scoped at most to their own
 * role; the key belongs to them, so removing or demoting them takes it along. The whole key is in
 * this answer only; the database keeps its SHA-256.
 */
export async function createTeamApiKey(
  db: Db,
  caller: { principal: TPrincipal; team: TeamAccess },
  input: { name: string; scopes?: TApiKeyScope[]; expiresInDays?: number },
) {
  const scopes = new Set<TApiKeyScope>(input.scopes ?? (ROLE_RANK[caller.team.role] >= ROLE_RANK.member ? ['runs:read', 'runs:write'] : ['runs:read']));
  // An admin's key without a user (made at set-up) may still make keys; anyone else's key is theirs.
  const userId = isAdmin(caller.team) ? caller.principal.userId : requireUser(caller.principal);
  for (const scope of scopes) {
    const needed = SCOPE_MIN_ROLE[scope];
    if (ROLE_RANK[caller.team.role] < ROLE_RANK[needed]) {
      throw new DomainError('FORBIDDEN', `scopes: "${scope}" needs role ${needed} in team "${caller.team.teamSlug}", caller has ${caller.team.role}`);
    }
  }
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
  const created = await createApiKey(db, { teamId: caller.team.teamId, userId, name: input.name, scopes: [...scopes], expiresAt });
  return { ...created, lastUsedAt: null, revokedAt: null };
}

/** Which keys a caller may see and revoke: an admin, all of the team's; anyone else, their own. */
function visibleKeys(caller: { principal: TPrincipal; team: TeamAccess }): Prisma.ApiKeyWhereInput {
  return isAdmin(caller.team) ? { teamId: caller.team.teamId } : { teamId: caller.team.teamId, userId: requireUser(caller.principal) };
}

export function listTeamApiKeys(db: Db, caller: { principal: TPrincipal; team: TeamAccess }): Promise<TApiKeySummary[]> {
  return db.apiKey.findMany({ where: visibleKeys(caller), select: keySummarySelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/**
 * Effective on the key's next request: every request looks the key up. Revoking twice keeps the
 * first time. Another member's key answers NOT_FOUND, as a key that does not exist.
 */
export async function revokeTeamApiKey(db: Db, caller: { principal: TPrincipal; team: TeamAccess }, keyId: string): Promise<TApiKeySummary> {
  const where = { id: keyId, ...visibleKeys(caller) };
  await db.apiKey.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
  const key = await db.apiKey.findFirst({ where, select: keySummarySelect });
  if (!key) throw new DomainError('NOT_FOUND', `API key ${keyId} not found`);
  return key;
}
