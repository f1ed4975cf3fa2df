import { ZSweepSpec, type TSweepGoal } from '@hyperzoo/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { randomAssignment } from '../expand';
import { buildSpace, paramsOf, type TAssignment, type TSearchSpace } from '../space';
import { defaultGamma, proposeTpe, splitTrials, type TTrial } from './sampler';

const spaceOf = (parameters: Record<string, unknown>, architectures: unknown = ['mlp']): TSearchSpace =>
  buildSpace(ZSweepSpec.parse({ name: 't', architectures, method: 'tpe', maxRuns: 100, metric: { name: 'val_accuracy' }, parameters }));

const SPACE = spaceOf(
  {
    'optimizer.learningRate': { distribution: 'log_uniform', min: 1e-4, max: 1e-1 },
    dropout: { distribution: 'uniform', min: 0, max: 0.5 },
    batchSize: { values: [32, 64, 128] },
    'earlyStopping.patience': { distribution: 'int_uniform', min: 2, max: 20 },
    width: { distribution: 'q_uniform', min: 0.25, max: 2, q: 0.25 },
    epochs: { value: 10 },
    'optimizer.momentum': { distribution: 'normal', mu: 0.5, sigma: 0.2, min: 0, max: 1 },
  },
  { mlp: null, lenet5: { parameters: { denseActivation: { values: ['relu', 'sigmoid'] } } } },
);

/** Runs `n` trials one after another on `objective`, proposing each with TPE. */
function optimize(space: TSearchSpace, objective: (a: TAssignment) => number, n: number, seed: number, goal: TSweepGoal = 'maximize'): TTrial[] {
  const trials: TTrial[] = [];
  for (let number = 0; number < n; number++) {
    const assignment = proposeTpe(space, trials, { goal, seed, number });
    trials.push({ number, assignment, state: 'complete', value: objective(assignment) });
  }
  return trials;
}

function expectInSpace(space: TSearchSpace, a: TAssignment) {
  expect(space.architectures).toContain(a.architecture);
  const params = paramsOf(space, a.architecture);
  expect(Object.keys(a.values).sort()).toEqual(params.map((p) => p.key).sort());
  for (const p of params) {
    const v = a.values[p.key];
    const d = p.dim;
    if (d.type === 'constant') expect(v).toEqual(d.value);
    else if (d.type === 'categorical') expect(d.choices).toContainEqual(v);
    else if (d.type === 'normal') {
      expect(v).toBeGreaterThanOrEqual(d.low ?? -Infinity);
      expect(v).toBeLessThanOrEqual(d.high ?? Infinity);
    }
    else {
      expect(v).toBeGreaterThanOrEqual(d.low);
      expect(v).toBeLessThanOrEqual(d.high);
      if (d.type === 'int') expect(Number.isInteger(v)).toBe(true);
      if (d.type === 'float' && d.step !== null) expect(Math.abs(((v as number) - d.low) / d.step - Math.round(((v as number) - d.low) / d.step))).toBeLessThan(1e-9);
    }
  }
}

const arbTrials = fc.array(
  fc.record({
    seed: fc.integer({ min: 0, max: 1000 }),
    state: fc.constantFrom('complete' as const, 'pruned' as const, 'running' as const),
    value: fc.double({ min: 0, max: 1, noNaN: true }),
    step: fc.integer({ min: 1, max: 30 }),
  }),
  { maxLength: 60 },
);
const toTrials = (rows: { seed: number; state: TTrial['state']; value: number; step: number }[]): TTrial[] =>
  rows.map((r, number) => ({ number, assignment: randomAssignment(SPACE, r.seed, number), state: r.state, value: r.state === 'running' ? null : r.value, step: r.step }));

describe('proposeTpe', () => {
  it('starts with the random search: the first startupTrials proposals are its configurations', () => {
    const trials = toTrials(Array.from({ length: 9 }, (_, i) => ({ seed: i, state: 'complete', value: i / 10, step: 1 })));
    expect(proposeTpe(SPACE, trials, { goal: 'maximize', seed: 5, number: 9 })).toEqual(randomAssignment(SPACE, 5, 9));
    const tenth = proposeTpe(SPACE, [...trials, { ...trials[0], number: 9 } as TTrial], { goal: 'maximize', seed: 5, number: 10 });
    expect(tenth).not.toEqual(randomAssignment(SPACE, 5, 10));
  });

  it('proposes valid configurations, the same for the same trials and seed', () => {
    fc.assert(
      fc.property(arbTrials, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('maximize' as const, 'minimize' as const), (rows, seed, goal) => {
        const trials = toTrials(rows);
        const options = { goal, seed, number: trials.length, startupTrials: 3 };
        const a = proposeTpe(SPACE, trials, options);
        expectInSpace(SPACE, a);
        expect(proposeTpe(SPACE, trials, options)).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });

  it('splits off the best gamma(n) finished trials; running ones are never good', () => {
    fc.assert(
      fc.property(arbTrials, fc.constantFrom('maximize' as const, 'minimize' as const), (rows, goal) => {
        const trials = toTrials(rows);
        const { below, above } = splitTrials(trials, goal);
        const finished = trials.filter((t) => t.state !== 'running');
        expect(below).toHaveLength(Math.min(defaultGamma(finished.length), finished.length));
        expect(below.length + above.length).toBe(trials.length);
        expect(below.every((t) => t.state !== 'running')).toBe(true);
        const better = (a: number, b: number) => (goal === 'maximize' ? a >= b : a <= b);
        for (const b of below.filter((t) => t.state === 'complete')) {
          for (const a of above.filter((t) => t.state === 'complete')) expect(better(b.value ?? 0, a.value ?? 0)).toBe(true);
        }
        // Pruned trials count as good only when too few complete ones exist, further-trained first.
        const completeBelow = below.filter((t) => t.state === 'complete').length;
        if (below.some((t) => t.state === 'pruned')) expect(completeBelow).toBe(trials.filter((t) => t.state === 'complete').length);
      }),
    );
  });

  it("samples an architecture's own parameters only for it", () => {
    const trials = optimize(SPACE, (a) => (a.architecture === 'lenet5' && a.values['denseActivation@lenet5'] === 'relu' ? 1 : 0.5), 30, 3);
    for (const t of trials) {
      expectInSpace(SPACE, t.assignment);
      expect('denseActivation@lenet5' in t.assignment.values).toBe(t.assignment.architecture === 'lenet5');
    }
    // The good corner is found and then favoured.
    const late = trials.slice(20);
    expect(late.filter((t) => t.value === 1).length).toBeGreaterThan(late.length / 2);
  });

  it('finds a better optimum than random search at the same budget (median of 15 seeds)', () => {
    const space = spaceOf({ dropout: { distribution: 'uniform', min: 0, max: 0.9 }, width: { distribution: 'uniform', min: 0.1, max: 4 } });
    const f = (a: TAssignment) => -(((a.values.dropout as number) - 0.3) ** 2) - (((a.values.width as number) - 1.7) / 4) ** 2;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const seeds = Array.from({ length: 15 }, (_, i) => i);
    const tpe = median(seeds.map((s) => Math.max(...optimize(space, f, 40, s).map((t) => t.value ?? -Infinity))));
    const random = median(seeds.map((s) => Math.max(...Array.from({ length: 40 }, (_, i) => f(randomAssignment(space, s, i))))));
    expect(tpe).toBeGreaterThan(random);
  });
});
