import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { logGaussMass, ndtr, ndtri, truncNormLogPdf, truncNormPpf } from './normal';

describe('normal helpers', () => {
  it('knows a few values of Phi and its inverse', () => {
    expect(ndtr(0)).toBe(0.5);
    expect(ndtr(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(ndtr(-10)).toBeCloseTo(7.61985302416047e-24, 35);
    expect(ndtri(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(Math.exp(logGaussMass(-1, 1))).toBeCloseTo(0.6826894921370859, 12);
    expect(Math.exp(logGaussMass(8, 9))).toBeCloseTo(6.22096057427178e-16 - 1.1285884059538e-19, 25);
  });

  it('maps quantiles into the bounds, monotonically, and back through the CDF', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 1e-3, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (low, width, muAt, u1, u2) => {
          const high = low + width;
          const mu = low + muAt * width;
          const sigma = width / 3;
          const [x1, x2] = [truncNormPpf(u1, mu, sigma, low, high), truncNormPpf(u2, mu, sigma, low, high)];
          expect(x1).toBeGreaterThanOrEqual(low);
          expect(x1).toBeLessThanOrEqual(high);
          if (u1 < u2) expect(x1).toBeLessThanOrEqual(x2 + 1e-12 * Math.abs(x2));
          const cdf = Math.exp(logGaussMass((low - mu) / sigma, (x1 - mu) / sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma));
          if (x1 > low) expect(cdf).toBeCloseTo(u1, 6);
          expect(truncNormLogPdf(high + width, mu, sigma, low, high)).toBe(-Infinity);
        },
      ),
    );
  });
});
