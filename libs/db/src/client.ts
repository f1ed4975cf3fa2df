import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/client';
import { DEFAULT_RETRY_POLICY, retryExtension } from './retry';
import type { RetryPolicy } from './retry';

/**
 * A Prisma client whose operations retry transient failures (retry.ts). Create one per process
 * and pass it down; it owns a connection pool.
 */
export function createDb(databaseUrl: string, opts: { poolSize?: number; retry?: RetryPolicy } = {}) {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter }).$extends(retryExtension(opts.retry ?? DEFAULT_RETRY_POLICY));
}

export type DbClient = ReturnType<typeof createDb>;
/** A client or an interactive transaction (`db.$transaction(async (tx) => ...)`): services accept either. */
export type Db = DbClient | Omit<DbClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
