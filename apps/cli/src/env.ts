import { z } from 'zod';

import { parseEnv } from '@hyperzoo/schemas';

export const ZCliEnv = z.object({
  /** Where verified IDX downloads live (default $XDG_CACHE_HOME/hyperzoo or ~/.cache/hyperzoo). */
  HZ_DATA_CACHE: z.string().optional(),
});
export type TCliEnv = z.infer<typeof ZCliEnv>;

export const loadCliEnv = (source: Record<string, string | undefined> = process.env) => parseEnv('hz', ZCliEnv, source);
