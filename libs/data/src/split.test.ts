import { describe, expect, it } from 'vitest';

import { allocateProportional, countPerClass, createRng, gather, permute, takePerClass, takeSample } from './split';

const labelsOf = (perClass: number[]) => Uint8Array.from(perClass.flatMap((n, c) => new Array<number>(n).fill(c)));

describe('seeded randomness', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Array.from(permute(50, 1))).toEqual(Array.from(permute(50, 1)));
    expect(Array.from(permute(50, 1))).not.toEqual(Array.from(permute(50, 2)));
    expect(Array.from(permute(50, 3)).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('allocateProportional', () => {
  it('splits a total by class size and never exceeds a class', () => {
    expect(allocateProportional([6000, 6000, 6000], 5000)).toEqual([1667, 1667, 1666]);
    expect(allocateProportional([10, 0, 30], 20)).toEqual([5, 0, 15]);
    expect(allocateProportional([1, 1], 2)).toEqual([1, 1]);
    expect(() => allocateProportional([1, 1], 3)).toThrow(/cannot take 3 of 2/);
  });
});

describe('takeSample', () => {
  const labels = labelsOf([100, 200, 300]);

  it('stratified: proportional per class, disjoint and complete', () => {
    const { taken, rest } = takeSample(labels, 3, 60, 5);
    expect(countPerClass(Uint8Array.from(taken, (i) => labels[i] as number), 3)).toEqual([10, 20, 30]);
    expect(new Set([...taken, ...rest]).size).toBe(labels.length);
    expect(taken.length + rest.length).toBe(labels.length);
    expect(takeSample(labels, 3, 60, 5).taken).toEqual(taken);
    expect(takeSample(labels, 3, 60, 6).taken).not.toEqual(taken);
  });

  it('uniform: the count asked, seeded', () => {
    const { taken } = takeSample(labels, 3, 60, 5, false);
    expect(taken).toHaveLength(60);
    expect(takeSample(labels, 3, 60, 5, false).taken).toEqual(taken);
  });
});

describe('takePerClass', () => {
  it('takes N of each class, or all of a smaller class', () => {
    const labels = labelsOf([10, 3, 20]);
    const idx = takePerClass(labels, 3, 5, 9);
    expect(countPerClass(Uint8Array.from(idx, (i) => labels[i] as number), 3)).toEqual([5, 3, 5]);
    expect(takePerClass(labels, 3, 5, 9)).toEqual(idx);
  });
});

describe('gather', () => {
  it('copies the images at the indices', () => {
    const set = { images: Uint8Array.from([1, 1, 2, 2, 3, 3]), labels: Uint8Array.from([0, 1, 2]), count: 3, height: 1, width: 2, channels: 1 };
    const g = gather(set, [2, 0]);
    expect(Array.from(g.images)).toEqual([3, 3, 1, 1]);
    expect(Array.from(g.labels)).toEqual([2, 0]);
    expect(() => gather(set, [3])).toThrow(/index 3 is outside 0\.\.2/);
  });
});
