import { z } from 'zod';

import { ZArtifactStoreEnv } from '@hyperzoo/artifact-store';
import { BATCH_SIZE, parseEnv, zPort, zUrl, zUrlPrefixList } from '@hyperzoo/schemas';

export const ZApiEnv = z.object({
  DATABASE_URL: zUrl('postgres:', 'postgresql:').default('postgresql://postgres@127.0.0.1:5432/hyperzoo'),
  REDIS_URL: zUrl('redis:', 'rediss:').default('redis://127.0.0.1:6379'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: zPort.default(4000),
  /** Namespaces BullMQ queues and pub/sub channels (tests use a random one). */
  HZ_QUEUE_PREFIX: z.string().regex(/^[\w-]*$/).default(''),
  /** Postgres connections of this API process (bench/runs: more than 10 did not help on 2 cores). */
  HZ_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Largest request body accepted (bytes); a report of 1,000 epochs is about 250 KB. */
  HZ_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Login attempts allowed per account and per client IP in HZ_LOGIN_WINDOW_SEC. */
  HZ_LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  HZ_LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(100),
  HZ_LOGIN_WINDOW_SEC: z.coerce.number().int().min(1).default(900),
  /** Most calls in one batched request; the dashboard sends up to BATCH_SIZE (10), so no less. */
  HZ_MAX_BATCH_SIZE: z.coerce.number().int().min(BATCH_SIZE).max(1000).default(BATCH_SIZE),
  /** Browser origins allowed to call mutations besides the site itself, e.g. https://hyperzoo.example.com (comma-separated). */
  HZ_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  /** auth.signUp open to anyone; false: accounts come from invitations (of existing users) and seeding only. */
  HZ_SIGN_UP: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Comma-separated URL prefixes runs may name as transfer.modelUrl (the worker checks its own list too); empty: none. */
  HZ_MODEL_URL_ALLOWLIST: zUrlPrefixList,
  /** Slug of the team whose workers form the platform pool, serving every team whose admins opt it in (teams.setPlatformPool); empty: none. */
  HZ_PLATFORM_POOL_TEAM: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
  /** How long runs.predict waits for a worker of the team to answer. */
  HZ_PREDICT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  SECURE_COOKIES: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).extend(ZArtifactStoreEnv.shape);
export type TApiEnv = z.infer<typeof ZApiEnv>;

export const loadApiEnv = (source: Record<string, string | undefined> = process.env) => parseEnv('hyperzoo api', ZApiEnv, source);
