import { describe, expect, it } from 'vitest';

import { fitForest } from './forest';

describe('fitForest', () => {
  it('splits at the midpoint between neighbouring values and stops at pure leaves', () => {
    // y is decided by x alone (a step at 0.5); the second column is noise-free but useless.
    const data = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9].map((x, i) => [x, i % 2]);
    const y = data.map(([x = 0]) => (x < 0.5 ? 1 : 3));
    const [tree] = fitForest(data, y, { nTrees: 1, maxDepth: 64, seed: 0 });
    if (!tree) throw new Error('no tree');
    // The bootstrap leaves out some rows, so the threshold lies between the nearest drawn values.
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBeGreaterThan(0.1);
    expect(tree.threshold[0]).toBeLessThan(0.9);
    expect(tree.feature.filter((f) => f >= 0)).toHaveLength(1);
    expect([tree.value[tree.left[0] ?? -1], tree.value[tree.right[0] ?? -1]]).toEqual([1, 3]);
  });

  it('grows the same forest for the same seed and another for another seed', () => {
    const data = Array.from({ length: 40 }, (_, i) => [(i * 0.618034) % 1, (i * 0.414214) % 1]);
    const y = data.map(([a = 0, b = 0]) => a * a + Math.sin(4 * b));
    const once = fitForest(data, y, { nTrees: 4, maxDepth: 64, seed: 7 });
    expect(fitForest(data, y, { nTrees: 4, maxDepth: 64, seed: 7 })).toEqual(once);
    expect(fitForest(data, y, { nTrees: 4, maxDepth: 64, seed: 8 })).not.toEqual(once);
  });

  it('fits every distinct training point when grown to full depth, and stops at maxDepth', () => {
    const data = Array.from({ length: 30 }, (_, i) => [i / 30]);
    const y = data.map(([x = 0]) => Math.sin(9 * x));
    const [full] = fitForest(data, y, { nTrees: 1, maxDepth: 64, seed: 1 });
    const [stump] = fitForest(data, y, { nTrees: 1, maxDepth: 1, seed: 1 });
    const predict = (t: NonNullable<typeof full>, x: number) => {
      let i = 0;
      while ((t.feature[i] ?? -1) >= 0) i = (x <= (t.threshold[i] ?? 0) ? t.left[i] : t.right[i]) ?? -1;
      return t.value[i] ?? NaN;
    };
    if (!full || !stump) throw new Error('no tree');
    // Leaves are pure: each holds one drawn row's value, and the rows drawn (about 63%) are fitted exactly.
    const leaves = full.value.filter((_, i) => (full.feature[i] ?? 0) < 0);
    for (const v of leaves) expect(y).toContain(v);
    expect(data.filter(([x = 0], k) => predict(full, x) === y[k]).length).toBeGreaterThan(data.length / 2);
    expect(stump.feature.filter((f) => f >= 0)).toHaveLength(1);
  });
});
