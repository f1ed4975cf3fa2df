import pRetry from 'p-retry';

import { isNotRunDbError, isTransientDbError } from './errors';
import { Prisma } from './generated/client';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First delay; each next one doubles (with jitter) up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
  /** No new attempt starts after this long. */
  maxTotalMs: number;
}

/** About 3 s of backoff in 5 retries (up to 6 s with jitter): rides out a failover or a restart, then fails. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, minDelayMs: 100, maxDelayMs: 2_000, maxTotalMs: 10_000 };

/** Operations that only read: repeating them is always safe. */
const READ_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
]);

/**
 * Whether a failed operation may run again: any operation whose failure proves it did not run
 * (no connection, or rolled back), a read after any transient failure. A write whose
 * connection dropped mid-statement may have committed, so it is not repeated.
 */
function isRetryable(err: unknown, operation: string): boolean {
  return isNotRunDbError(err) || (READ_OPERATIONS.has(operation) && isTransientDbError(err));
}

/**
 * Retries each operation outside a transaction under `policy`. Inside an interactive or batch
 * transaction a failure has aborted the whole transaction, so the operation fails as it is.
 */
export function retryExtension(policy: RetryPolicy) {
  return Prisma.defineExtension({
    name: 'retry-transient',
    query: {
      async $allOperations({ operation, args, query, ...rest }) {
        // Prisma passes the transaction an operation belongs to in its internal parameters.
        const internal = (rest as { __internalParams?: { transaction?: unknown } }).__internalParams;
        const run = (): Promise<unknown> => query(args);
        if (internal?.transaction !== undefined) return run();
        return pRetry(run, {
          retries: policy.retries,
          factor: 2,
          minTimeout: policy.minDelayMs,
          maxTimeout: policy.maxDelayMs,
          randomize: true,
          maxRetryTime: policy.maxTotalMs,
          shouldRetry: ({ error }) => isRetryable(error, operation),
        });
      },
    },
  });
}

/**
 * Runs an interactive transaction again, under `policy`, when its failure proves it did not run
 * (no connection, serialization failure, deadlock): it rolled back as a whole. `fn` must have no
 * effect outside the database. The extension above cannot do it: it sees single operations.
 */
export function retryTransaction<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  return pRetry(fn, {
    retries: policy.retries,
    factor: 2,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    randomize: true,
    maxRetryTime: policy.maxTotalMs,
    shouldRetry: ({ error }) => isNotRunDbError(error),
  });
}
