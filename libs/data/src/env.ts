import { z } from 'zod';

/** The only environment this library reads: where the user's cache directory is (XDG base directory spec). */
const ZDataEnv = z.object({ XDG_CACHE_HOME: z.string().optional() });
export type TDataEnv = z.infer<typeof ZDataEnv>;

export function readDataEnv(): TDataEnv {
  return ZDataEnv.parse({ XDG_CACHE_HOME: process.env.XDG_CACHE_HOME });
}
