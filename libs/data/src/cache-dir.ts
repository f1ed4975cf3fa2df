import { homedir } from 'node:os';
import { join } from 'node:path';

import { readDataEnv, type TDataEnv } from './env';

/**
 * Default cache directory: $XDG_CACHE_HOME/hyperzoo, else ~/.cache/hyperzoo. Apps read HZ_DATA_CACHE in their
 * env.ts and pass it as `cacheDir` to loadDataset, which only falls back to this.
 */
export function getDefaultCacheDir(env: TDataEnv = readDataEnv()): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'hyperzoo');
}
