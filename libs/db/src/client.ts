import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import pRetry from 'p-retry';

import { isNotRunDbError } from './errors';
import { PrismaClient } from './generated/client';
import { DEFAULT_RETRY_POLICY, retryExtension } from './retry';
import type { RetryPolicy } from './retry';

/** What pg itself reports when a statement did not run: connection refused, server starting, too many connections, rolled back. */
const NOT_RUN_PG_CODES = new Set(['ECONNREFUSED', '57P03', '53300', '40001', '40P01']);
const isNotRunPgError = (err: unknown) => isNotRunDbError(err) || NOT_RUN_PG_CODES.has((err as { code?: string } | null)?.code ?? '');

/** The pg pool under each client createDb made (a transaction client has none: its statements stay on its connection). */
const pools = new WeakMap<object, { pool: pg.Pool; retry: RetryPolicy }>();

/**
 * A Prisma client whose operations retry transient failures (retry.ts). Create one per process
 * and pass it down; it owns a connection pool.
 */
export function createDb(databaseUrl: string, opts: { poolSize?: number; retry?: RetryPolicy; onQuery?: (sql: string) => void } = {}) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const retry = opts.retry ?? DEFAULT_RETRY_POLICY;
  const { onQuery } = opts;
  let client;
  if (!onQuery) {
    client = new PrismaClient({ adapter }).$extends(retryExtension(retry));
  } else {
    // Benches count statements (no N+1) from Prisma's query events.
    const logged = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
    logged.$on('query', (e) => onQuery(e.query));
    client = logged.$extends(retryExtension(retry));
  }
  pools.set(client, { pool, retry });
  return client;
}

export type DbClient = ReturnType<typeof createDb>;
/** A client or an interactive transaction (`db.$transaction(async (tx) => ...)`): services accept either. */
export type Db = DbClient | Omit<DbClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * Runs one bulk write straight on the client's pg pool and returns the rows it touched, or null
 * when `db` is a transaction (the caller then goes through Prisma, on the transaction's
 * connection). For statements whose parameters are large arrays: Prisma passes every parameter
 * through its query engine, which cost 4x the CPU of the statement's own work (1,000 epochs:
 * 12.6 ms against 3.3 ms). Numbers reach Postgres as their exact text, unlike through Prisma.
 * Retried, as Prisma's writes are, only when it provably did not run.
 */
export async function executeOnPool(db: Db, text: string, values: unknown[]): Promise<number | null> {
  const result = await queryPool(db, text, values);
  return result == null ? null : (result.rowCount ?? 0);
}

/**
 * Runs one read straight on the client's pg pool and returns its rows, or null when `db` is a
 * transaction (the caller then goes through Prisma). For the statements every request of a run
 * makes: through Prisma, compiling and interpreting a query cost the API more CPU than Postgres
 * spent answering it. Timestamps come back as pg parses them: select them as text or booleans.
 */
export async function queryOnPool<T>(db: Db, text: string, values: unknown[]): Promise<T[] | null> {
  return ((await queryPool(db, text, values))?.rows as T[] | undefined) ?? null;
}

/** One statement on the client's pg pool, retried only when it provably did not run; null for a transaction. */
async function queryPool(db: Db, text: string, values: unknown[]) {
  const entry = pools.get(db);
  if (!entry) return null;
  const { pool, retry } = entry;
  return pRetry(async () => pool.query(text, values), {
    retries: retry.retries,
    factor: 2,
    minTimeout: retry.minDelayMs,
    maxTimeout: retry.maxDelayMs,
    randomize: true,
    maxRetryTime: retry.maxTotalMs,
    shouldRetry: ({ error }) => isNotRunPgError(error),
  });
}
