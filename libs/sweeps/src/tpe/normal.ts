import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';

/**
 * The standard normal pieces TPE's truncated-normal kernels need (Optuna's _truncnorm.py).
 * TPE's kernels are centred inside their bounds (a <= 0 <= b), so the plain erfc forms keep
 * their precision; each tail is still taken on its accurate side.
 */

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Phi(z), accurate in the lower tail. */
export const ndtr = (z: number): number => 0.5 * erfc(-z / SQRT2);

/** Phi^-1(p). */
export const ndtri = (p: number): number => -SQRT2 * erfcinv(2 * p);

/** log(Phi(b) - Phi(a)) for a < b, each tail on the side where it is accurate. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return Math.log(ndtr(b) - ndtr(a));
  if (a > 0) return Math.log(ndtr(-a) - ndtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** Log density at x of N(mu, sigma) truncated to [low, high]. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - logGaussMass((low - mu) / sigma, (high - mu) / sigma) - Math.log(sigma);
}

/** The point of N(mu, sigma) truncated to [low, high] at quantile u in [0, 1) (inverse CDF). */
export function truncNormPpf(u: number, mu: number, sigma: number, low: number, high: number): number {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  let z: number;
  if (a < 0) {
    const pa = ndtr(a);
    z = ndtri(pa + u * (ndtr(b) - pa));
  } else {
    // Mirror into the lower tail, where Phi keeps its precision.
    const pb = ndtr(-b);
    z = -ndtri(pb + (1 - u) * (ndtr(-a) - pb));
  }
  return Math.min(high, Math.max(low, mu + sigma * z));
}

/** log(sum(exp(xs))) without overflow; -Infinity for an empty or all -Infinity list. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) max = Math.max(max, xs[i] ?? -Infinity);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp((xs[i] ?? -Infinity) - max);
  return max + Math.log(sum);
}
