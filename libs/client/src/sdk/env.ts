import { z } from 'zod';

import { parseEnv } from '@hyperzoo/schemas';

const ZSdkEnv = z.object({
  HZ_API_URL: z.url().optional(),
  HZ_API_KEY: z.string().min(1).optional(),
  /** online, offline, or auto (online when the API answers). */
  HZ_MODE: z.enum(['online', 'offline', 'auto']).optional(),
  /** Where runs keep their local files (default ./hyperzoo). */
  HZ_DIR: z.string().min(1).optional(),
});

export const loadSdkEnv = (source: Record<string, string | undefined> = process.env) => parseEnv('hz sdk', ZSdkEnv, source);
