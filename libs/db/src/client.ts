import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/client';
import type { Prisma } from './generated/client';

export type DbClient = PrismaClient;
/** A client or an interactive transaction: services accept either. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** One client per process and URL (cached on globalThis so dev reloads do not leak pools). */
const cache = ((globalThis as { __hzDb?: Map<string, PrismaClient> }).__hzDb ??= new Map<string, PrismaClient>());

export function createDb(databaseUrl: string, opts: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

export function getDb(databaseUrl: string): PrismaClient {
  let db = cache.get(databaseUrl);
  if (!db) {
    db = createDb(databaseUrl);
    cache.set(databaseUrl, db);
  }
  return db;
}
