import type { Db } from '@hyperzoo/db';
import type { TRoleName } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { hashPassword, newApiKey, newSecret, sha256, verifyPassword } from './tokens';

export { hashPassword };

const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export type TPrincipal =
  | { kind: 'user'; userId: string }
  | {
      kind: 'apiKey';
      keyId: string;
      teamId: string;
      teamSlug: string;
      userId: string | null;
      /** The key's user's role in the key's team now (null: no user, or no longer a member); read with the key. */
      userRole: TRoleName | null;
      scopes: string[];
    };

export async function createUser(db: Db, input: { email: string; name: string; password: string }) {
  return db.user.create({
    data: { email: input.email.toLowerCase(), name: input.name, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, name: true },
  });
}

export async function login(db: Db, email: string, password: string): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, passwordHash: true } });
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !ok) throw new DomainError('UNAUTHORIZED', 'wrong email or password');
  return { ...(await startSession(db, user.id)), userId: user.id };
}

/** A new session: the cookie gets the token, the database its SHA-256. */
export async function startSession(db: Db, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { tokenHash: sha256(token), userId, expiresAt } });
  return { token, expiresAt };
}
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1Q3YNo8Q0yKu0HNa6ZyVZ7l5bq0K6m4+BVwY7Y6k0iA';

export async function logout(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: sha256(token) } });
}

export async function resolveSession(db: Db, token: string): Promise<TPrincipal | null> {
  const s = await db.session.findUnique({ where: { tokenHash: sha256(token) }, select: { userId: true, expiresAt: true } });
  if (!s || s.expiresAt < new Date()) return null;
  return { kind: 'user', userId: s.userId };
}

const TOUCH_EVERY_MS = 60_000;
/** When this process last wrote each key's lastUsedAt: a burst of requests with one key writes once, not once each. */
const touchedAt = new Map<string, number>();

/** One statement: the key and its team's slug, so team procedures need no further lookup for a key. */
export async function resolveApiKey(db: Db, key: string): Promise<TPrincipal | null> {
  if (!key.startsWith('hz_')) return null;
  const [k] = await db.$queryRaw<
    {
      id: string;
      teamId: string;
      teamSlug: string;
      userId: string | null;
      userRole: TRoleName | null;
      scopes: string[];
      revokedAt: Date | null;
      lastUsedAt: Date | null;
      expiresAt: Date | null;
    }[]
  >`SELECT k."id", k."teamId", t."slug" AS "teamSlug", k."userId", m."role"::text AS "userRole", k."scopes", k."revokedAt", k."lastUsedAt", k."expiresAt"
    FROM "ApiKey" k JOIN "Team" t ON t."id" = k."teamId"
    LEFT JOIN "Membership" m ON m."teamId" = k."teamId" AND m."userId" = k."userId"
    WHERE k."keyHash" = ${sha256(key)}`;
  if (!k || k.revokedAt || (k.expiresAt && k.expiresAt <= new Date())) return null;
  // Touch lastUsedAt at most once a minute: no write per request, and no queue of writers on one row.
  const now = Date.now();
  if (now - Math.max(k.lastUsedAt?.getTime() ?? 0, touchedAt.get(k.id) ?? 0) > TOUCH_EVERY_MS) {
    touchedAt.set(k.id, now);
    await db.apiKey.updateMany({ where: { id: k.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - TOUCH_EVERY_MS) } }] }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: 'apiKey', keyId: k.id, teamId: k.teamId, teamSlug: k.teamSlug, userId: k.userId, userRole: k.userRole, scopes: k.scopes };
}

export async function createApiKey(db: Db, input: { teamId: string; userId: string | null; name: string; scopes: string[]; expiresAt?: Date | null }) {
  const { key, prefix, keyHash } = newApiKey();
  const row = await db.apiKey.create({
    data: { teamId: input.teamId, userId: input.userId, name: input.name, prefix, keyHash, scopes: input.scopes, expiresAt: input.expiresAt ?? null },
    select: { id: true, prefix: true, name: true, scopes: true, createdAt: true, expiresAt: true },
  });
  return { ...row, key };
}
