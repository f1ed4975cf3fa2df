import { setTimeout as sleep } from 'node:timers/promises';

import { isRetryableClientError } from '../errors';

export interface RetryOptions {
  signal?: AbortSignal;
  /** Longest wait between two tries (default 10 s). */
  maxDelayMs?: number;
  /** Give up (rethrow) once this long has passed since the first try (default 30 min). */
  deadlineMs?: number;
}

/** Retries a call to the API while the failure is transient (API down, 5xx), with capped exponential backoff. */
export async function withApiRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.deadlineMs ?? 30 * 60_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryableClientError(err) || Date.now() > deadline || opts.signal?.aborted) throw err;
      await sleep(Math.min(opts.maxDelayMs ?? 10_000, 250 * 2 ** attempt));
    }
  }
}
