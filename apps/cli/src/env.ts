import { z } from 'zod';

import { parseEnv, zUrlPrefixList } from '@hyperzoo/schemas';

const ZCliEnv = z.object({
  /** Where verified IDX downloads live (default $XDG_CACHE_HOME/hyperzoo or ~/.cache/hyperzoo). */
  HZ_DATA_CACHE: z.string().optional(),
  HZ_API_URL: z.url().optional(),
  HZ_API_KEY: z.string().min(1).optional(),
  /** The user's config file lives in $XDG_CONFIG_HOME/hyperzoo (default ~/.config/hyperzoo). */
  XDG_CONFIG_HOME: z.string().min(1).optional(),
  /** `hz predict --backbone`: URL prefixes a backbone may be fetched from, as the worker's (comma-separated; empty: none). */
  HZ_MODEL_URL_ALLOWLIST: zUrlPrefixList,
  /** Most bytes that backbone (model.json and weights) may download, as the worker's. */
  HZ_MODEL_MAX_BYTES: z.coerce.number().int().min(1024).default(1024 ** 3),
});

export type TCliEnv = z.infer<typeof ZCliEnv>;

export const loadCliEnv = (source: Record<string, string | undefined> = process.env) => parseEnv('hz', ZCliEnv, source);
