import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Default cache directory: $XDG_CACHE_HOME/hyperzoo, else ~/.cache/hyperzoo. Apps read HZ_DATA_CACHE in their
 * env.ts and pass it as `cacheDir`; this library reads no other environment.
 */
export function getDefaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'hyperzoo');
}
