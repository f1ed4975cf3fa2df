import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/client';
import { DEFAULT_RETRY_POLICY, retryExtension } from './retry';
import type { RetryPolicy } from './retry';

/**
 * A Prisma client whose operations retry transient failures (retry.ts). Create one per process
 * and pass it down; it owns a connection pool.
 */
export function createDb(databaseUrl: string, opts: { poolSize?: number; retry?: RetryPolicy; onQuery?: (sql: string) => void } = {}) {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  const { onQuery } = opts;
  if (!onQuery) return new PrismaClient({ adapter }).$extends(retryExtension(opts.retry ?? DEFAULT_RETRY_POLICY));
  // Benches count statements (no N+1) from Prisma's query events.
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (e) => onQuery(e.query));
  return client.$extends(retryExtension(opts.retry ?? DEFAULT_RETRY_POLICY));
}

export type DbClient = ReturnType<typeof createDb>;
/** A client or an interactive transaction (`db.$transaction(async (tx) => ...)`): services accept either. */
export type Db = DbClient | Omit<DbClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
