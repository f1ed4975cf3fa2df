import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/**
 * Producers (API) fail fast when Redis is down; workers wait and retry forever
 * (BullMQ requires maxRetriesPerRequest: null for blocking connections).
 */
export function createRedis(url: string, role: 'producer' | 'worker' | 'subscriber', extra: RedisOptions = {}): Redis {
  const opts: RedisOptions =
    role === 'producer'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 }
      : { maxRetriesPerRequest: null, connectTimeout: 5_000 };
  return new Redis(url, { lazyConnect: false, ...opts, ...extra });
}

/** BullMQ needs `noeviction`: an evicted job key is a lost run. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== undefined && policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or queued runs can be evicted. ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).',
    );
  }
}
