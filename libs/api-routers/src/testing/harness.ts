import { randomUUID } from 'node:crypto';

import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { createPredictQueues, createRedis, createTrainQueues } from '@hyperzoo/queue';
import type { TrainQueues } from '@hyperzoo/queue';

import { createContext } from '../context';
import { createCaller } from '../root';
import { createLiveHub } from '../services/live-hub';
import type { LiveHub } from '../services/live-hub';
import { createLoginLimiter, DEFAULT_LOGIN_LIMITS } from '../services/login-limit';
import { platformPoolRoute } from '../services/platform-pool';
import type { TPolicy } from '../services/policy';

const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RouterHarness {
  t: TestDatabase;
  redis: ReturnType<typeof createRedis>;
  queues: TrainQueues;
  live: LiveHub;
  prefix: string;
  /** What createContext gets: for a test that swaps one dependency (a dead Redis, say). */
  deps: Parameters<typeof createContext>[0];
  /** A caller with these request headers, and the Set-Cookie values it received. */
  callerFor(headers: { authorization?: string; cookie?: string }): Promise<{ caller: ReturnType<typeof createCaller>; cookies: string[] }>;
  bearer(key: string): Promise<ReturnType<typeof createCaller>>;
  close(): Promise<void>;
}

/** A fresh database and queue prefix for one test file, and callers that go through createContext like a request. */
export async function startRouterHarness(db?: (url: string) => TestDatabase['db'], policy: Partial<TPolicy> = {}): Promise<RouterHarness> {
  const t = await createTestDatabase();
  const redis = createRedis(REDIS_URL, 'producer');
  const prefix = `test-${randomUUID().slice(0, 8)}-`;
  const client = db ? db(t.url) : t.db;
  // Read at each call: a test may name the platform pool's team once it has made it.
  const route = (teamId: string) => platformPoolRoute(client, deps.policy.platformPoolTeamId)(teamId);
  const queues = createTrainQueues(redis, prefix, route);
  const subscriber = createRedis(REDIS_URL, 'subscriber');
  const live = createLiveHub({ subscriber, publisher: redis, db: client, prefix });
  const predictions = createPredictQueues(redis, prefix, route);
  const deps = {
    db: client,
    queues,
    predictions,
    predictTimeoutMs: 5_000,
    live,
    loginLimiter: createLoginLimiter(redis, DEFAULT_LOGIN_LIMITS, prefix),
    policy: { signUp: true, modelUrlPrefixes: [], platformPoolTeamId: null, ...policy } as TPolicy,
  };
  async function callerFor(headers: { authorization?: string; cookie?: string }) {
    const cookies: string[] = [];
    const ctx = await createContext(deps, { headers }, (_k, v) => cookies.push(v));
    return { caller: createCaller(ctx), cookies };
  }
  return {
    t,
    redis,
    queues,
    live,
    prefix,
    deps,
    callerFor,
    bearer: (key) => callerFor({ authorization: `Bearer ${key}` }).then((c) => c.caller),
    async close() {
      await queues.close();
      await predictions.close();
      await live.close();
      subscriber.disconnect();
      const keys = [...(await redis.keys(`bull:${prefix}*`)), ...(await redis.keys(`${prefix}hz:login:*`))];
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      if (deps.db !== t.db) await deps.db.$disconnect();
      await t.drop();
    },
  };
}
