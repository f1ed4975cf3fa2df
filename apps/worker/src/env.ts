import { z } from 'zod';

import { parseEnv, ZBackendPreference, ZResourceClass, zUrl, zUrlPrefixList } from '@hyperzoo/schemas';

export const ZWorkerEnv = z.object({
  REDIS_URL: zUrl('redis:', 'rediss:').default('redis://127.0.0.1:6379'),
  API_URL: zUrl('http:', 'https:').default('http://127.0.0.1:4000'),
  /** An API key with the "worker" scope: the only credential a worker holds (no DB access). */
  HZ_WORKER_TOKEN: z.string().regex(/^hz_[0-9a-f]{12}_[\w-]+$/, 'must be a Hyperzoo API key (hz_<prefix>_<secret>) with the worker scope'),
  HZ_RESOURCE_CLASS: ZResourceClass.default('cpu'),
  /** Trainer processes run at once; default: GPUs found (gpu) or the cores (cpu: os.availableParallelism()). */
  HZ_SLOTS: z.coerce.number().int().min(1).max(64).optional(),
  /** Reuse trainer processes across runs (trainer-pool.ts); 0: a fresh process for every run. */
  HZ_WARM_TRAINERS: z.enum(['0', '1']).default('1').transform((v) => v === '1'),
  TFJS_BACKEND: ZBackendPreference.default('auto'),
  HZ_DATA_CACHE: z.string().optional(),
  HZ_ARTIFACT_DIR: z.string().default('.hyperzoo/artifacts'),
  /** Comma-separated URL prefixes that transfer.modelUrl may load backbones from; empty: none over http(s). */
  HZ_MODEL_URL_ALLOWLIST: zUrlPrefixList,
  /** Most bytes one transfer.modelUrl backbone (model.json and weights) may download. */
  HZ_MODEL_MAX_BYTES: z.coerce.number().int().min(1024).default(1024 ** 3),
  /** Runs' models the predictor keeps loaded (least recently used evicted). */
  HZ_PREDICT_CACHE: z.coerce.number().int().min(1).max(64).default(4),
  HZ_QUEUE_PREFIX: z.string().regex(/^[\w-]*$/).default(''),
  HZ_WORKER_NAME: z.string().min(1).max(200).optional(),
  /** BullMQ lock and stall detection: a killed worker's job is retried after about lock + interval. */
  HZ_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(60_000),
  HZ_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;

export const loadWorkerEnv = (source: Record<string, string | undefined> = process.env) => parseEnv('hyperzoo worker', ZWorkerEnv, source);
