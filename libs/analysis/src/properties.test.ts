import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { findBestEpoch } from './best-epoch';
import { curveFromRecords, curveFromValues } from './curve';
import { analyzeCurve } from './run-analysis';

// Synthetic curves of every shape the issue lists; each property runs fast-check's default 100 cases or more.
const finite = fc.double({ min: 0, max: 10, noNaN: true, noDefaultInfinity: true });
/** Few distinct values, so ties and exact min_delta steps happen often. */
const coarse = fc.integer({ min: 0, max: 8 }).map((k) => k / 4);
const special = fc.constantFrom(Number.NaN, Infinity, -Infinity);
const value = fc.oneof({ arbitrary: finite, weight: 4 }, { arbitrary: coarse, weight: 4 }, { arbitrary: special, weight: 1 });
const noisy = fc.array(value, { minLength: 1, maxLength: 40 });
const strictlyDecreasing = fc.uniqueArray(finite, { minLength: 1, maxLength: 30 }).map((xs) => [...xs].sort((a, b) => b - a));
const plateau = fc.tuple(finite, fc.integer({ min: 1, max: 30 })).map(([v, n]) => Array<number>(n).fill(v));
/** Falls to a minimum at `m` (1-based), then rises. */
const uShaped = fc.tuple(strictlyDecreasing, strictlyDecreasing).map(([down, up]) => {
  const bottom = Math.min(...down) - 1;
  return { values: [...down, bottom, ...[...up].reverse().map((x) => bottom + 1 + x)], m: down.length + 1 };
});

const analyze = (values: number[], options = {}) => analyzeCurve(curveFromValues('val_loss', values), options);
/** Reference: the first epoch holding the smallest value Keras can improve to (no NaN, no +Infinity). */
const firstArgmin = (xs: number[]): number | null => {
  let best: number | null = null;
  xs.forEach((x, i) => {
    if (x < Infinity && (best === null || x < (xs[best - 1] as number))) best = i + 1;
  });
  return best;
};

describe('properties on synthetic curves', () => {
  it('monotone decreasing: best is the last epoch, nothing stops, no onset', () => {
    fc.assert(
      fc.property(strictlyDecreasing, (values) => {
        const r = analyze(values);
        expect(r.bestEpoch).toBe(values.length);
        expect(r.counterfactual).toHaveLength(1);
        expect(r.counterfactual[0]).toMatchObject({ patience: 0, stoppedEpoch: null, epochsSaved: 0 });
        expect(r.onsetEpoch).toBeNull();
      }),
    );
  });

  it('monotone increasing: best is epoch 1 and patience p stops at max(2, p + 1)', () => {
    fc.assert(
      fc.property(strictlyDecreasing, (xs) => {
        const values = [...xs].reverse();
        const r = analyze(values);
        expect(r.bestEpoch).toBe(1);
        for (const row of r.counterfactual) {
          const p = row.patience ?? 0;
          expect(row.stoppedEpoch).toBe(Math.max(2, p + 1) <= values.length ? Math.max(2, p + 1) : null);
          if (row.stoppedEpoch !== null) expect(row.valueRestored).toBe(values[0]);
        }
      }),
    );
  });

  it('U-shaped with a falling training loss: best and onset at the bottom, every stop keeps it when restoring', () => {
    fc.assert(
      fc.property(uShaped, ({ values, m }) => {
        const records = values.map((v, i) => ({ val_loss: v, loss: 10 - i * 0.1 }));
        const r = analyzeCurve(curveFromRecords(records));
        expect(r.bestEpoch).toBe(m);
        expect(r.onsetEpoch).toBe(m < values.length ? m : null);
        for (const row of r.counterfactual) {
          if (row.stoppedEpoch === null) continue;
          expect(row.stoppedEpoch).toBe(m + Math.max(1, row.patience ?? 0));
          expect(row.valueRestored).toBe(values[m - 1]);
        }
      }),
    );
  });

  it('plateaus and all-equal curves: epoch 1 stays best, and every later epoch counts toward patience', () => {
    fc.assert(
      fc.property(plateau, (values) => {
        const r = analyze(values);
        expect(r.bestEpoch).toBe(1);
        expect(r.counterfactual.map((c) => c.stoppedEpoch)).toEqual(
          r.counterfactual.map((_, p) => (Math.max(2, p + 1) <= values.length ? Math.max(2, p + 1) : null)),
        );
      }),
    );
  });

  it('length 1: one epoch run whatever the patience, never stopped', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 5 }), (v, patience) => {
        const r = analyze([v], { patience });
        expect(r).toMatchObject({ epochsRecorded: 1, epochsRun: 1, stoppedEpoch: null });
        expect(r.bestEpoch).toBe(v < Infinity ? 1 : null);
      }),
    );
  });

  it('all NaN: no best epoch, restore_best_weights keeps epoch 1, patience p stops at max(2, p) (epoch 1 already waits)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 25 }), (n, patience) => {
        const values = Array<number>(n).fill(Number.NaN);
        const stop = Math.max(2, patience) <= n ? Math.max(2, patience) : null;
        expect(analyze(values, { patience })).toMatchObject({ bestEpoch: null, stoppedEpoch: stop, bestValue: null });
        expect(analyze(values, { patience, restoreBestWeights: true })).toMatchObject({ bestEpoch: 1, stoppedEpoch: stop });
      }),
    );
  });

  it('noisy curves with NaN and Infinity: best epoch is the first argmin; stops move later with patience; epochs add up', () => {
    fc.assert(
      fc.property(noisy, (values) => {
        expect(findBestEpoch(values)).toBe(firstArgmin(values));
        const r = analyze(values);
        const rows = r.counterfactual;
        expect(rows.at(-1)?.stoppedEpoch).toBeNull();
        rows.forEach((row, p) => {
          expect(row.patience).toBe(p);
          expect(row.epochsRun + row.epochsSaved).toBe(values.length);
          if (row.stoppedEpoch !== null) expect(row.stoppedEpoch).toBe(row.epochsRun);
          if (row.bestEpoch !== null) expect(row.bestEpoch).toBeLessThanOrEqual(row.epochsRun);
          const previous = rows[p - 1];
          if (previous) {
            expect(row.epochsRun).toBeGreaterThanOrEqual(previous.epochsRun);
            // Restoring the best of a longer prefix never keeps a worse value.
            const restored = (r: typeof row) => (r.restoredEpoch === null ? Number.NaN : (values[r.restoredEpoch - 1] as number));
            if (previous.bestEpoch !== null) expect(restored(row)).toBeLessThanOrEqual(restored(previous));
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('min and max mode are mirror images (values, baseline and best negated)', () => {
    fc.assert(
      fc.property(noisy, fc.option(coarse, { nil: null }), fc.constantFrom(0, 0.25, 0.1), fc.integer({ min: 0, max: 4 }), (values, baseline, minDelta, startFromEpoch) => {
        const min = analyze(values, { mode: 'min', baseline, minDelta, startFromEpoch });
        const max = analyze(values.map((v) => -v), { mode: 'max', baseline: baseline === null ? null : -baseline, minDelta, startFromEpoch });
        const pick = (r: typeof min) => r.counterfactual.map((c) => [c.stoppedEpoch, c.bestEpoch, c.restoredEpoch]);
        expect(pick(max)).toEqual(pick(min));
        expect(max.bestEpoch).toBe(min.bestEpoch);
      }),
    );
  });

  it('seconds saved are the measured durations of the epochs after the stop', () => {
    fc.assert(
      fc.property(noisy, fc.integer({ min: 1, max: 5000 }), (values, ms) => {
        const r = analyzeCurve(curveFromRecords(values.map((v) => ({ val_loss: v, duration_ms: ms }))));
        for (const row of r.counterfactual) expect(row.secondsSaved).toBeCloseTo((row.epochsSaved * ms) / 1000, 9);
      }),
    );
  });
});
