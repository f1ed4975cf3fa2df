import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { createRedis } from '@hyperzoo/queue';

import { DomainError } from '../errors';

export interface LoginLimits {
  /** Login attempts per email in `windowSec`; past it, that account's logins wait for the window. */
  perAccount: number;
  /** Login attempts per client IP in `windowSec`. */
  perIp: number;
  windowSec: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 10, perIp: 100, windowSec: 15 * 60 };

export interface LoginLimiter {
  /** Counts one attempt (every call, so one batched request of 30 guesses counts 30); throws when over a limit. */
  attempt(email: string, ip: string | null): Promise<void>;
  /** The right password clears the account's count (not the IP's). */
  succeeded(email: string): Promise<void>;
}

/** Counts live in Redis, shared by every API process; an in-memory count stands in while Redis is down. */
export function createLoginLimiter(redis: ReturnType<typeof createRedis>, limits: LoginLimits = DEFAULT_LOGIN_LIMITS, prefix = ''): LoginLimiter {
  const make = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}hz:login:${name}`,
      points,
      duration: limits.windowSec,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}hz:login:${name}`, points, duration: limits.windowSec }),
    });
  const account = make('account', limits.perAccount);
  const ip = make('ip', limits.perIp);
  return {
    async attempt(email, clientIp) {
      try {
        await Promise.all([account.consume(email.toLowerCase()), clientIp ? ip.consume(clientIp) : Promise.resolve()]);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const seconds = Math.ceil(err.msBeforeNext / 1000);
        throw new DomainError('TOO_MANY_REQUESTS', `too many login attempts; try again in ${seconds} s`);
      }
    },
    async succeeded(email) {
      await account.delete(email.toLowerCase());
    },
  };
}
