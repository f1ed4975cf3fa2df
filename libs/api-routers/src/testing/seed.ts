import { randomUUID } from 'node:crypto';

import type { DbClient } from '@hyperzoo/db';
import { SESSION_COOKIE } from '@hyperzoo/schemas';

import type { TRole } from '../services/access';
import { createApiKey, createUser } from '../services/auth';
import { createTeamWithOwner } from '../services/teams';
import { newSecret, sha256 } from '../services/tokens';

/** A team with an owner, a user API key and a worker token, for tests. */
export async function seedTeam(db: DbClient, slug = `t-${randomUUID().slice(0, 8)}`) {
  const password = `pw-${randomUUID()}`;
  const email = `${slug}@example.test`;
  const team = await createTeamWithOwner(db, { slug, name: slug, owner: { email, name: slug, password } });
  const userKey = await createApiKey(db, { teamId: team.teamId, userId: team.userId, name: 'test', scopes: ['runs:read', 'runs:write'] });
  const workerKey = await createApiKey(db, { teamId: team.teamId, userId: null, name: 'test-worker', scopes: ['worker'] });
  return { ...team, email, password, apiKey: userKey.key, workerToken: workerKey.key };
}

/** A new user with `role` in the team, logged in: the returned cookie header authenticates as them. */
export async function seedMember(db: DbClient, teamId: string, role: TRole) {
  const user = await createUser(db, { email: `${role}-${randomUUID()}@example.test`, name: role, password: `pw-${randomUUID()}` });
  await db.membership.create({ data: { teamId, userId: user.id, role } });
  const token = newSecret();
  await db.session.create({ data: { tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
  return { userId: user.id, cookie: `${SESSION_COOKIE}=${token}` };
}
