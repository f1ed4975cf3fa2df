import { createHash } from 'node:crypto';

import type { ImageSet } from './types';

/** sha256 over each split's shape, images and labels, in the order given (absent splits are marked as such). */
export function hashSplits(splits: Array<[string, ImageSet | null]>): string {
  const hash = createHash('sha256');
  for (const [name, set] of splits) {
    if (!set) {
      hash.update(`${name}:none\n`);
      continue;
    }
    hash.update(`${name}:${set.count}x${set.height}x${set.width}x${set.channels}\n`);
    hash.update(set.images);
    hash.update(set.labels);
  }
  return hash.digest('hex');
}
