/**
 * Creating and enqueueing a 1,000-run grid sweep through sweeps.create (real Postgres and
 * Redis): the sweep and its runs in one transaction (one createMany), then 1,000 jobs. Prints
 * JSON: wall ms per create, and the SQL statements each one sent (Prisma query events), which
 * stay flat in the number of runs (no N+1), and the Redis memory the queued jobs take.
 *   npm run bench:sweep-create [-- --repeat 3]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { createCaller, createContext, createLiveHub, createLoginLimiter } from '@hyperzoo/api-routers';
import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createDb } from '@hyperzoo/db';
import { createTestDatabase } from '@hyperzoo/db/testing';
import { createPredictQueues, createRedis, createTrainQueues } from '@hyperzoo/queue';

const { values: args } = parseArgs({ options: { repeat: { type: 'string', default: '3' } } });

const SPEC = {
  name: 'bench-1000',
  architectures: ['mlp'],
  method: 'grid',
  metric: { name: 'val_accuracy' },
  maxConcurrent: 1000,
  parameters: {
    dropout: { distribution: 'q_uniform', min: 0, max: 0.495, q: 0.005 },
    'optimizer.learningRate': { values: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1] },
  },
};

const t = await createTestDatabase();
const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedis(REDIS_URL, 'producer');
const subscriber = createRedis(REDIS_URL, 'subscriber');
const prefix = `bench-${randomUUID().slice(0, 8)}-`;
const queues = createTrainQueues(redis, prefix);
let statements: string[] = [];
const db = createDb(t.url, { onQuery: (sql) => statements.push(sql) });
const live = createLiveHub({ subscriber, db, prefix });
const predictions = createPredictQueues(redis, prefix);
try {
  const team = await seedTeam(t.db);
  const ctx = await createContext({ db, queues, predictions, predictTimeoutMs: 5_000, live, loginLimiter: createLoginLimiter(redis, undefined, prefix), policy: { signUp: false, modelUrlPrefixes: [], platformPoolTeamId: null } }, { headers: { authorization: `Bearer ${team.apiKey}` } }, () => undefined);
  const caller = createCaller(ctx);
  const rounds = [];
  for (let i = 0; i < Number(args.repeat); i++) {
    statements = [];
    const t0 = performance.now();
    const created = await caller.sweeps.create({ teamSlug: team.teamSlug, spec: { ...SPEC, name: `bench-${i}` } });
    const ms = performance.now() - t0;
    rounds.push({ ms: Math.round(ms), runs: created.runs, queued: created.queued, sqlStatements: statements.length, enqueueError: created.enqueueError ?? null });
  }
  const runsInDb = await t.db.run.count();
  // What the queued jobs cost Redis (MEMORY USAGE of every key of this prefix), for sizing it.
  const keys = await redis.keys(`bull:${prefix}*`);
  let redisBytes = 0;
  for (const key of keys) redisBytes += (await redis.memory('USAGE', key)) ?? 0;
  const jobs = rounds.reduce((n, r) => n + r.queued, 0);
  console.log(JSON.stringify({ bench: 'sweep-create', rounds, runsInDb, redisBytes, redisBytesPerQueuedJob: Math.round(redisBytes / jobs) }, null, 1));
} finally {
  await queues.close();
  await predictions.close();
  await live.close();
  subscriber.disconnect();
  const keys = await redis.keys(`bull:${prefix}*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
  await db.$disconnect();
  await t.drop();
}
