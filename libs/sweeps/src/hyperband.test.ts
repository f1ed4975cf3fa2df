import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { checkPruning, cutRung, hyperbandRungs, rungDecision, rungValue } from './hyperband';

const goal = fc.constantFrom('maximize' as const, 'minimize' as const);

describe('Hyperband/ASHA rungs', () => {
  it('puts rungs at minEpochs * eta^k below the last epoch, one bracket per start', () => {
    expect(hyperbandRungs({ minEpochs: 3, eta: 3, maxEpochs: 30, brackets: 1 })).toEqual([[3, 9, 27]]);
    expect(hyperbandRungs({ minEpochs: 1, eta: 3, maxEpochs: 27, brackets: 4 })).toEqual([[1, 3, 9], [3, 9], [9], []]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 500 }), fc.integer({ min: 1, max: 5 }), (minEpochs, eta, maxEpochs, brackets) => {
        const all = hyperbandRungs({ minEpochs, eta, maxEpochs, brackets });
        expect(all).toHaveLength(brackets);
        all.forEach((rungs, b) => {
          rungs.forEach((epoch, k) => {
            expect(epoch).toBe(minEpochs * eta ** (b + k));
            expect(epoch).toBeLessThan(maxEpochs);
          });
          expect(minEpochs * eta ** (b + rungs.length)).toBeGreaterThanOrEqual(maxEpochs);
        });
      }),
    );
  });

  it('keeps the best max(1, floor(n/eta)) at a rung (ties kept), the cut-off between kept and pruned', () => {
    expect(cutRung([{ id: 'a', value: 0.8 }, { id: 'b', value: 0.6 }, { id: 'c', value: 0.7 }], 3, 'maximize')).toEqual({ cutoff: 0.8, keep: ['a'], prune: ['b', 'c'] });
    expect(cutRung([{ id: 'a', value: 0.5 }, { id: 'b', value: 0.3 }], 3, 'minimize')).toEqual({ cutoff: 0.3, keep: ['b'], prune: ['a'] });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 2, max: 5 }), goal, (ints, eta, g) => {
        const values = ints.map((v, id) => ({ id, value: v / 50 }));
        const { cutoff, keep, prune } = cutRung(values, eta, g);
        const better = (a: number, b: number) => (g === 'maximize' ? a >= b : a <= b);
        expect(keep.length + prune.length).toBe(values.length);
        expect(keep.length).toBeGreaterThanOrEqual(Math.max(1, Math.floor(values.length / eta)));
        for (const id of keep) expect(better(values[id]?.value ?? NaN, cutoff ?? NaN)).toBe(true);
        for (const id of prune) expect(better(values[id]?.value ?? NaN, cutoff ?? NaN) && values[id]?.value !== cutoff).toBe(false);
        // Only ties with the cut-off make the kept set larger than the quota.
        const strictlyBetter = keep.filter((id) => values[id]?.value !== cutoff).length;
        expect(strictlyBetter).toBeLessThan(Math.max(1, Math.floor(values.length / eta)));
      }),
    );
  });

  it('prunes NaN (a diverged run) and judges a run by its best value up to the rung', () => {
    expect(rungDecision(NaN, [0.1, NaN], 3, 'maximize').prune).toBe(true);
    expect(rungValue([0.5, null, 0.7, 0.6], 4, 'maximize')).toBe(0.7);
    expect(rungValue([0.5, null, 0.7, 0.6], 2, 'minimize')).toBe(0.5);
    expect(rungValue([null, NaN], 2, 'minimize')).toBeNull();
  });

  it('checks only at the rungs of the run\'s bracket and records the rung and cut-off', () => {
    const hyperband = { minEpochs: 3, eta: 3, maxEpochs: 30, brackets: 2 };
    const base = { hyperband, goal: 'maximize' as const, values: [0.5, 0.6, 0.62], peers: [0.7, 0.8, 0.75] };
    expect(checkPruning({ ...base, configuration: 0, epoch: 2 })).toEqual({ action: 'continue' });
    expect(checkPruning({ ...base, configuration: 0, epoch: 3 })).toEqual({ action: 'prune', rung: 0, value: 0.62, cutoff: 0.8 });
    // Bracket 1 starts at epoch 9: epoch 3 is no rung there.
    expect(checkPruning({ ...base, configuration: 1, epoch: 3 })).toEqual({ action: 'continue' });
    expect(checkPruning({ ...base, configuration: 0, epoch: 3, peers: [] })).toEqual({ action: 'continue', rung: 0, value: 0.62, cutoff: 0.62 });
  });
});
