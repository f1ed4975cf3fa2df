import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createRng } from '../random';
import fixture from './optuna-parzen.fixture.json';
import { bandwidths, defaultWeights, ParzenEstimator, type TTpeDim } from './parzen';

describe("ParzenEstimator: Optuna's estimator, number for number", () => {
  // bench/sweeps/optuna_parzen_fixture.py: Optuna's _ParzenEstimator.log_pdf on the same observations and points.
  for (const c of fixture.cases) {
    it(`log_pdf matches Optuna ${fixture.optuna}: ${c.name}`, () => {
      const pe = new ParzenEstimator(c.dims as TTpeDim[], c.observations);
      c.points.forEach((x, i) => expect(pe.logPdf(x)).toBeCloseTo(c.logPdf[i] ?? NaN, 9));
    });
  }
});

describe('ParzenEstimator properties', () => {
  const numericDim = fc.record({
    low: fc.double({ min: -100, max: 100, noNaN: true }),
    width: fc.double({ min: 1e-3, max: 1000, noNaN: true }),
  });

  it('draws samples inside the bounds, on the step grid', () => {
    fc.assert(
      fc.property(numericDim, fc.boolean(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), fc.integer(), (d, stepped, obs, seed) => {
        const step = stepped ? d.width / 10 : 0;
        const dim: TTpeDim = { type: 'numeric', low: d.low, high: d.low + (stepped ? step * 10 : d.width), log: false, step };
        const pe = new ParzenEstimator([dim], obs.map((u) => [stepped ? d.low + Math.round(u * 10) * step : d.low + u * d.width]));
        for (const [x] of pe.sample(createRng(seed), 20)) {
          expect(x).toBeGreaterThanOrEqual(dim.low);
          expect(x).toBeLessThanOrEqual(dim.high);
          if (stepped) expect(Math.abs((x ?? 0) - d.low) / step - Math.round(Math.abs((x ?? 0) - d.low) / step)).toBeLessThan(1e-6);
          expect(Number.isFinite(pe.logPdf([x ?? 0]))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is a density: integrates to 1 over a continuous range, sums to 1 over steps and categories', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), fc.boolean(), (obs, log) => {
        const dim: TTpeDim = { type: 'numeric', low: log ? 1e-3 : -2, high: log ? 10 : 3, log, step: 0 };
        const xs = obs.map((u) => (log ? Math.exp(Math.log(1e-3) + u * Math.log(1e4)) : -2 + 5 * u));
        const pe = new ParzenEstimator([dim], xs.map((x) => [x]));
        // Integrate in the kernels' own (log) scale: TPE's densities live there, as in Optuna.
        const n = 20_000;
        const [a, b] = log ? [Math.log(1e-3), Math.log(10)] : [-2, 3];
        let total = 0;
        for (let i = 0; i < n; i++) total += Math.exp(pe.logPdf([log ? Math.exp(a + ((i + 0.5) * (b - a)) / n) : a + ((i + 0.5) * (b - a)) / n])) * ((b - a) / n);
        expect(total).toBeCloseTo(1, 2);
      }),
      { numRuns: 30 },
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 }), (obs) => {
        const cat = new ParzenEstimator([{ type: 'categorical', size: 5 }], obs.map((o) => [o]));
        const int = new ParzenEstimator([{ type: 'numeric', low: 0, high: 4, log: false, step: 1 }], obs.map((o) => [o]));
        for (const pe of [cat, int]) expect([0, 1, 2, 3, 4].reduce((s, x) => s + Math.exp(pe.logPdf([x])), 0)).toBeCloseTo(1, 9);
      }),
    );
  });

  it("uses Optuna's weights and bandwidth rules", () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30);
    expect(w[4]).toBe(1);
    expect(w.slice(5).every((x) => x === 1)).toBe(true);
    // One observation: the larger gap to a bound. Two or more: the outermost look inwards; clip at range/(n+2).
    expect(bandwidths([2], 0, 10)).toEqual([8]);
    expect(bandwidths([1, 2, 9], 0, 10)).toEqual([2, 7, 7]);
    expect(bandwidths([5, 5.01], 0, 10)).toEqual([2.5, 2.5]);
  });
});
