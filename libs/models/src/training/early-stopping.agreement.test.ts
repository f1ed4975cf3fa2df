import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { analyzeCurve, curveFromValues, ZAnalysisOptions } from '@hyperzoo/analysis';
import { MONITORS, ZEarlyStopping } from '@hyperzoo/schemas';

import { EarlyStopping } from './early-stopping';

// libs/analysis answers "where would patience p have stopped" from a recorded curve without
// training; this drives the trainer's own EarlyStopping over the same curves and demands the same answer.

const value = fc.oneof(
  { arbitrary: fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 8 }).map((k) => k / 4), weight: 4 },
  { arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const options = fc.record({
  monitor: fc.constantFrom(...MONITORS),
  mode: fc.constantFrom('auto' as const, 'min' as const, 'max' as const),
  minDelta: fc.oneof(fc.constantFrom(0, 0.25, 0.5), fc.double({ min: 0, max: 0.5, noNaN: true })),
  baseline: fc.option(fc.integer({ min: -4, max: 8 }).map((k) => k / 4), { nil: null }),
  startFromEpoch: fc.integer({ min: 0, max: 6 }),
  restoreBestWeights: fc.boolean(),
});

/** The trainer's loop: update per epoch, stop when told. */
function train(config: ReturnType<typeof ZEarlyStopping.parse>, curve: (number | null)[]) {
  const es = new EarlyStopping(config);
  let epochsRun = 0;
  for (const [i, v] of curve.entries()) {
    epochsRun = i + 1;
    if (es.update(i + 1, v).stop) break;
  }
  return { epochsRun, stoppedEpoch: es.stoppedEpoch, bestEpoch: es.bestEpoch, restore: es.shouldRestore };
}

describe('counterfactual early stopping agrees with EarlyStopping', () => {
  it('for every patience, on generated curves: stop epoch, epochs run, best and restored epoch', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 30 }), options, (curve, o) => {
        const analysis = analyzeCurve(curveFromValues(o.monitor, curve), ZAnalysisOptions.parse(o));
        const longest = curve.length + 2;
        for (let patience = 0; patience <= longest; patience++) {
          const real = train(ZEarlyStopping.parse({ ...o, patience }), curve);
          const row = analysis.counterfactual[Math.min(patience, analysis.counterfactual.length - 1)];
          expect(row?.stoppedEpoch).toBe(real.stoppedEpoch);
          expect(row?.epochsRun).toBe(real.epochsRun);
          expect(o.restoreBestWeights ? row?.restoredEpoch : row?.bestEpoch).toBe(real.bestEpoch);
          // The analysis as the run would have gone with this patience.
          const asRun = analyzeCurve(curveFromValues(o.monitor, curve), ZAnalysisOptions.parse({ ...o, patience }));
          expect(asRun).toMatchObject({ stoppedEpoch: real.stoppedEpoch, epochsRun: real.epochsRun, bestEpoch: real.bestEpoch });
          expect(real.restore).toBe(o.restoreBestWeights && asRun.bestEpoch !== null);
          compared += 1;
        }
      }),
      { numRuns: 600 },
    );
    expect(compared).toBeGreaterThan(600 * 3);
  });
});
