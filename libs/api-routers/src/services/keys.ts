import type { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import type { TApiKeySummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { createApiKey } from './auth';

const DAY_MS = 24 * 3600 * 1000;

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

/** The whole key is in this answer only; the database keeps its SHA-256. */
export async function createTeamApiKey(db: Db, input: { teamId: string; userId: string | null; name: string; scopes: string[]; expiresInDays?: number }) {
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
  const created = await createApiKey(db, { teamId: input.teamId, userId: input.userId, name: input.name, scopes: input.scopes, expiresAt });
  return { ...created, lastUsedAt: null, revokedAt: null };
}

export function listTeamApiKeys(db: Db, teamId: string): Promise<TApiKeySummary[]> {
  return db.apiKey.findMany({ where: { teamId }, select: keySummarySelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/** Effective on the key's next request: every request looks the key up. Revoking twice keeps the first time. */
export async function revokeTeamApiKey(db: Db, teamId: string, keyId: string): Promise<TApiKeySummary> {
  await db.apiKey.updateMany({ where: { id: keyId, teamId, revokedAt: null }, data: { revokedAt: new Date() } });
  const key = await db.apiKey.findFirst({ where: { id: keyId, teamId }, select: keySummarySelect });
  if (!key) throw new DomainError('NOT_FOUND', `API key ${keyId} not found`);
  return key;
}
