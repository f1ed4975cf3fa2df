import { createHash } from 'node:crypto';

import { sweepImportance, type TFanovaOptions, type TImportance, type TScoredTrial, type TSearchSpace } from '@hyperzoo/sweeps';

/** Rankings kept in this process; a sweep page asks for up to ten (three measures by three scopes, and the summary's). */
const CAPACITY = 200;
const cache = new Map<string, TImportance[]>();

/**
 * sweepImportance, remembered by everything it depends on: the space, each trial's assignment and
 * value, and the forest's options. The same ended runs give the same ranking without a second
 * fANOVA (a reload, the CLI after the page); a run that ends or changes its value is a new key.
 */
export function cachedImportance(space: TSearchSpace, trials: readonly TScoredTrial[], options: TFanovaOptions = {}): TImportance[] {
  const key = createHash('sha256')
    .update(JSON.stringify([space, options, trials.map((t) => [t.assignment.architecture, t.assignment.values, t.value])]))
    .digest('base64');
  const known = cache.get(key);
  if (known) {
    // Least recently used goes first: move a hit to the end.
    cache.delete(key);
    cache.set(key, known);
    return known;
  }
  const ranking = sweepImportance(space, trials, options);
  cache.set(key, ranking);
  if (cache.size > CAPACITY) cache.delete(cache.keys().next().value as string);
  return ranking;
}
