import { ZSweepSpec } from '@hyperzoo/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { randomAssignment } from './expand';
import { fanovaImportance, type TFanovaFeature } from './fanova';
import { sweepImportance, type TScoredTrial } from './importance';
import { marginalEffects } from './marginals';
import { buildSpace } from './space';

const unit = (key: string): TFanovaFeature => ({ key, bounds: [[0, 1]], encode: (v) => [v as number] });
// A low-discrepancy design, so the forest sees the whole square.
const STEPS = [0.618034, 0.414214, 0.732051];
const design = (n: number, dims: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: dims }, (_, d) => (i * (STEPS[d] ?? 0.5)) % 1));

describe('fanovaImportance', () => {
  it('finds the share of variance each parameter explains alone (10a^2 + sin 6b, c idle)', () => {
    const rows = design(150, 3).map(([a = 0, b = 0, c = 0]) => ({ values: [a, b, c], value: 10 * a ** 2 + Math.sin(6 * b) }));
    const imp = fanovaImportance([unit('a'), unit('b'), unit('c')], rows, { seed: 3 });
    const by = Object.fromEntries(imp.map((i) => [i.key, i.importance]));
    // Analytically: Var(10a^2) = 100 * 4/45 = 8.89, Var(sin 6b) = 0.522 -> 0.945 and 0.055.
    expect(imp.map((i) => i.key)).toEqual(['a', 'b', 'c']);
    expect(by.a).toBeCloseTo(0.945, 1);
    expect(by.b).toBeGreaterThan(0.02);
    expect(by.c).toBeLessThan(0.01);
    expect(fanovaImportance([unit('a'), unit('b'), unit('c')], rows, { seed: 3 })).toEqual(imp);
  });

  it('handles categories as one-hot groups and gives zeros when nothing varies', () => {
    const cat: TFanovaFeature = { key: 'act', bounds: [[0, 1], [0, 1], [0, 1]], encode: (v) => [0, 1, 2].map((j) => (j === v ? 1 : 0)) };
    const rows = design(90, 1).map(([x = 0], i) => ({ values: [i % 3, x], value: ([0.2, 0.9, 0.5][i % 3] ?? 0) + 0.01 * x }));
    const imp = fanovaImportance([cat, unit('x')], rows, { seed: 1, nTrees: 16 });
    expect(imp[0]).toMatchObject({ key: 'act' });
    expect(imp[0]?.importance).toBeGreaterThan(0.95);
    expect(fanovaImportance([unit('x')], design(20, 1).map((x) => ({ values: x, value: 1 })))).toEqual([{ key: 'x', importance: 0, fraction: 0, std: 0 }]);
  });

  it('gives non-negative shares summing to 1 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 2, maxLength: 40 }), (rows) => {
        const imp = fanovaImportance([unit('a'), unit('b')], rows.map(([a, b, y]) => ({ values: [a, b], value: y })), { nTrees: 8 });
        const total = imp.reduce((s, i) => s + i.importance, 0);
        for (const i of imp) expect(i.importance).toBeGreaterThanOrEqual(0);
        expect(total === 0 || Math.abs(total - 1) < 1e-9).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('sweepImportance and marginalEffects on sweep trials', () => {
  const space = buildSpace(
    ZSweepSpec.parse({
      name: 's',
      architectures: { mlp: null, lenet5: { parameters: { denseActivation: { values: ['relu', 'sigmoid'] } } } },
      method: 'random',
      maxRuns: 200,
      metric: { name: 'val_accuracy' },
      parameters: {
        'optimizer.learningRate': { distribution: 'log_uniform', min: 1e-4, max: 1e-1 },
        batchSize: { values: [32, 64] },
        epochs: { value: 5 },
      },
    }),
  );
  // Accuracy peaks at lr = 1e-2.5 and lenet5 is 0.05 better; the batch size does nothing.
  const trials: TScoredTrial[] = Array.from({ length: 120 }, (_, i) => {
    const assignment = randomAssignment(space, 4, i);
    const lr = assignment.values['optimizer.learningRate'] as number;
    return { assignment, value: 0.9 - 0.05 * (Math.log10(lr) + 2.5) ** 2 + (assignment.architecture === 'lenet5' ? 0.05 : 0) };
  });

  it('ranks the learning rate first, then the architecture; a parameter that does nothing last', () => {
    const imp = sweepImportance(space, trials, { seed: 0, nTrees: 32 });
    expect(imp.map((i) => i.key)).toEqual(['optimizer.learningRate', 'architecture', 'batchSize']);
    expect(imp[2]?.importance).toBeLessThan(0.02);
  });

  it('summarises the objective per value and per range', () => {
    const effects = marginalEffects(space, trials, 'maximize', 3);
    expect(effects.map((e) => e.key)).toEqual(['architecture', 'optimizer.learningRate', 'batchSize', 'denseActivation@lenet5']);
    const arch = effects[0]?.groups ?? [];
    expect(arch.map((g) => g.label)).toEqual(['mlp', 'lenet5']);
    expect((arch[1]?.mean ?? 0) - (arch[0]?.mean ?? 0)).toBeGreaterThan(0.03);
    const lr = effects[1]?.groups ?? [];
    expect(lr.map((g) => g.label)).toEqual(['0.0001..0.001', '0.001..0.01', '0.01..0.1']);
    expect(lr[1]?.mean).toBeGreaterThan(Math.max(lr[0]?.mean ?? 1, lr[2]?.mean ?? 1));
    expect(lr.reduce((n, g) => n + g.count, 0)).toBe(120);
    const dense = effects[3]?.groups ?? [];
    expect(dense.reduce((n, g) => n + g.count, 0)).toBe(trials.filter((t) => t.assignment.architecture === 'lenet5').length);
  });
});
