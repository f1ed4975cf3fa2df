import type { ImageSet } from './types';

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same sequence on every platform. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle of 0..n-1. */
export function permute(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/** Indices of each class, in index order. */
function indicesByClass(labels: Uint8Array, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    const bucket = byClass[label];
    if (!bucket) throw new Error(`label ${label} at index ${i} is outside 0..${numClasses - 1}`);
    bucket.push(i);
  }
  return byClass;
}

/** Each class's indices shuffled with the seed (one independent stream per class, so classes do not interact). */
export function shuffledByClass(labels: Uint8Array, numClasses: number, seed: number): number[][] {
  return indicesByClass(labels, numClasses).map((idx, c) => {
    const order = permute(idx.length, (seed ^ Math.imul(c + 1, 0x9e3779b1)) >>> 0);
    return Array.from(order, (k) => idx[k] as number);
  });
}

/**
 * Splits `total` into per-class quotas proportional to `sizes` (largest remainder, ties to the lower class),
 * never more than a class has.
 */
export function allocateProportional(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (total > sum) throw new Error(`cannot take ${total} of ${sum} images`);
  if (sum === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / sum);
  const quota = exact.map((e) => Math.floor(e));
  let left = total - quota.reduce((a, b) => a + b, 0);
  const order = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((x, y) => y.r - x.r || x.c - y.c);
  for (const { c } of order) {
    if (left === 0) break;
    if ((quota[c] as number) < (sizes[c] as number)) {
      quota[c] = (quota[c] as number) + 1;
      left--;
    }
  }
  return quota;
}

/**
 * Seeded selection: `count` indices out of `labels`, stratified (proportional per class) or uniform.
 * Returns the taken and the remaining indices, each sorted ascending.
 */
export function takeSample(
  labels: Uint8Array,
  numClasses: number,
  count: number,
  seed: number,
  stratified = true,
): { taken: number[]; rest: number[] } {
  if (count > labels.length) throw new Error(`cannot take ${count} of ${labels.length} images`);
  const takenMask = new Uint8Array(labels.length);
  if (stratified) {
    const byClass = shuffledByClass(labels, numClasses, seed);
    const quotas = allocateProportional(byClass.map((b) => b.length), count);
    byClass.forEach((idx, c) => idx.slice(0, quotas[c]).forEach((i) => (takenMask[i] = 1)));
  } else {
    permute(labels.length, seed).subarray(0, count).forEach((i) => (takenMask[i] = 1));
  }
  const taken: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < labels.length; i++) (takenMask[i] ? taken : rest).push(i);
  return { taken, rest };
}

/** Seeded: up to `perClass` indices of each class (all of a class that has fewer), sorted ascending. */
export function takePerClass(labels: Uint8Array, numClasses: number, perClass: number, seed: number): number[] {
  const taken = shuffledByClass(labels, numClasses, seed).flatMap((idx) => idx.slice(0, perClass));
  return taken.sort((a, b) => a - b);
}

/** A new ImageSet with the images at `indices`, in that order. */
export function gather(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (i < 0 || i >= set.count) throw new Error(`index ${i} is outside 0..${set.count - 1}`);
    images.set(set.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i] as number;
  }
  return { images, labels, count: indices.length, height: set.height, width: set.width, channels: set.channels };
}

/** Images per class, index = class id. */
export function countPerClass(labels: Uint8Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}
