import { z } from 'zod';

import { parseEnv, zPort, zUrl } from '@hyperzoo/schemas';

export const ZApiEnv = z.object({
  DATABASE_URL: zUrl('postgres:', 'postgresql:').default('postgresql://postgres@127.0.0.1:5432/hyperzoo'),
  REDIS_URL: zUrl('redis:', 'rediss:').default('redis://127.0.0.1:6379'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: zPort.default(4000),
  /** Namespaces BullMQ queues and pub/sub channels (tests use a random one). */
  HZ_QUEUE_PREFIX: z.string().regex(/^[\w-]*$/).default(''),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  SECURE_COOKIES: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type TApiEnv = z.infer<typeof ZApiEnv>;

export const loadApiEnv = (source: Record<string, string | undefined> = process.env) => parseEnv('hyperzoo api', ZApiEnv, source);
