import { randomUUID } from 'node:crypto';

import type { DbClient } from '@hyperzoo/db';

import { createApiKey } from '../services/auth';
import { createTeamWithOwner } from '../services/teams';

/** A team with an owner, a user API key and a worker token, for tests. */
export async function seedTeam(db: DbClient, slug = `t-${randomUUID().slice(0, 8)}`) {
  const password = `pw-${randomUUID()}`;
  const email = `${slug}@example.test`;
  const team = await createTeamWithOwner(db, { slug, name: slug, owner: { email, name: slug, password } });
  const userKey = await createApiKey(db, { teamId: team.teamId, userId: team.userId, name: 'test', scopes: ['runs:read', 'runs:write'] });
  const workerKey = await createApiKey(db, { teamId: team.teamId, userId: null, name: 'test-worker', scopes: ['worker'] });
  return { ...team, email, password, apiKey: userKey.key, workerToken: workerKey.key };
}
