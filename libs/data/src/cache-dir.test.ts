import { homedir } from 'node:os';

import { describe, expect, it } from 'vitest';

import { getDefaultCacheDir } from './cache-dir';

describe('getDefaultCacheDir', () => {
  it('follows XDG_CACHE_HOME, else ~/.cache', () => {
    expect(getDefaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/hyperzoo');
    expect(getDefaultCacheDir({})).toBe(`${homedir()}/.cache/hyperzoo`);
    expect(getDefaultCacheDir({ XDG_CACHE_HOME: '' })).toBe(`${homedir()}/.cache/hyperzoo`);
  });
});
