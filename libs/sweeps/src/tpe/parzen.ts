import type { TRng } from '../random';
import { logGaussMass, logSumExp, truncNormLogPdf, truncNormPpf } from './normal';

/**
 * Optuna's _ParzenEstimator (optuna/samplers/_tpe/parzen_estimator.py): a mixture with one
 * kernel per observation plus a prior kernel, each kernel a product over the dimensions.
 * Defaults as TPESampler's: prior_weight 1, magic clip on, endpoints not considered.
 */

/** A dimension as TPE sees it: choices by index, or a (log-scaled, stepped) interval. */
export type TTpeDim = { type: 'categorical'; size: number } | { type: 'numeric'; low: number; high: number; log: boolean; step: number };

type TKernels =
  | { type: 'categorical'; probs: Float64Array[] }
  | { type: 'numeric'; mus: Float64Array; sigmas: Float64Array; low: number; high: number; dim: Extract<TTpeDim, { type: 'numeric' }> };

const PRIOR_WEIGHT = 1;

/** Optuna's default_weights: older observations fade linearly once there are more than 25. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = n - 25;
  const start = 1 / n;
  // numpy.linspace(1/n, 1, ramp): both ends included.
  const rampValues = Array.from({ length: ramp }, (_, i) => (ramp === 1 ? start : start + ((1 - start) * i) / (ramp - 1)));
  return [...rampValues, ...Array.from({ length: 25 }, () => 1)];
}

/** Kernel widths: the larger gap to a sorted neighbour (bounds included), then clipped (Optuna's magic clip). */
export function bandwidths(mus: readonly number[], low: number, high: number): number[] {
  const n = mus.length;
  const order = mus.map((_, i) => i).sort((i, j) => (mus[i] ?? 0) - (mus[j] ?? 0));
  const s = [low, ...order.map((i) => mus[i] ?? 0), high];
  const sorted = order.map((_, k) => Math.max((s[k + 1] ?? 0) - (s[k] ?? 0), (s[k + 2] ?? 0) - (s[k + 1] ?? 0)));
  if (s.length >= 4) {
    // consider_endpoints=False: the outermost kernels look only inwards.
    sorted[0] = (s[2] ?? 0) - (s[1] ?? 0);
    sorted[n - 1] = (s[n] ?? 0) - (s[n - 1] ?? 0);
  }
  const maxSigma = high - low;
  const minSigma = (high - low) / Math.min(100, 1 + (n + 1));
  const sigmas = new Array<number>(n);
  order.forEach((i, k) => {
    sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sorted[k] ?? 0));
  });
  return sigmas;
}

export class ParzenEstimator {
  private readonly logWeights: Float64Array;
  private readonly weights: Float64Array;
  private readonly kernels: TKernels[];

  /** observations[i][d]: a category index or a value (in the dimension's own scale). */
  constructor(
    private readonly dims: readonly TTpeDim[],
    observations: readonly (readonly number[])[],
  ) {
    const n = observations.length;
    const w = n === 0 ? [1] : [...defaultWeights(n), PRIOR_WEIGHT];
    const total = w.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(w, (x) => x / total);
    this.logWeights = this.weights.map(Math.log);
    this.kernels = dims.map((dim, d) => this.kernelsOf(dim, observations.map((o) => o[d] ?? 0)));
  }

  private kernelsOf(dim: TTpeDim, obs: number[]): TKernels {
    if (dim.type === 'categorical') {
      if (obs.length === 0) return { type: 'categorical', probs: [new Float64Array(dim.size).fill(1 / dim.size)] };
      const nKernels = obs.length + 1;
      const probs = Array.from({ length: nKernels }, (_, k) => {
        const row = new Float64Array(dim.size).fill(PRIOR_WEIGHT / nKernels);
        const o = obs[k];
        if (k < obs.length && o !== undefined) row[o] = (row[o] ?? 0) + 1;
        const sum = row.reduce((a, b) => a + b, 0);
        return row.map((x) => x / sum);
      });
      return { type: 'categorical', probs };
    }
    let low = dim.low - dim.step / 2;
    let high = dim.high + dim.step / 2;
    let mus = obs;
    if (dim.log) {
      low = Math.log(low);
      high = Math.log(high);
      mus = obs.map(Math.log);
    }
    const sigmas = bandwidths(mus, low, high);
    return {
      type: 'numeric',
      mus: Float64Array.from([...mus, 0.5 * (low + high)]),
      sigmas: Float64Array.from([...sigmas, high - low]),
      low,
      high,
      dim,
    };
  }

  /** `size` points drawn from the mixture: pick a kernel by weight, then each dimension from it. */
  sample(rng: TRng, size: number): number[][] {
    const weights = Array.from(this.weights);
    return Array.from({ length: size }, () => {
      const k = rng.choice(weights);
      return this.kernels.map((kern) => {
        if (kern.type === 'categorical') {
          const row = kern.probs[Math.min(k, kern.probs.length - 1)] ?? new Float64Array();
          return rng.choice(Array.from(row));
        }
        const x = truncNormPpf(rng.uniform(), kern.mus[k] ?? 0, kern.sigmas[k] ?? 1, kern.low, kern.high);
        const v = kern.dim.log ? Math.exp(x) : x;
        if (kern.dim.step === 0) return Math.min(kern.dim.high, Math.max(kern.dim.low, v));
        const stepped = kern.dim.low + Math.round((v - kern.dim.low) / kern.dim.step) * kern.dim.step;
        return Math.min(kern.dim.high, Math.max(kern.dim.low, stepped));
      });
    });
  }

  /** log density (or mass, for stepped and categorical dimensions) of the mixture at x. */
  logPdf(x: readonly number[]): number {
    const nK = this.weights.length;
    const terms = Float64Array.from(this.logWeights);
    this.kernels.forEach((kern, d) => {
      const xd = x[d] ?? 0;
      for (let k = 0; k < nK; k++) {
        if (kern.type === 'categorical') {
          const row = kern.probs[Math.min(k, kern.probs.length - 1)];
          terms[k] = (terms[k] ?? 0) + Math.log(row?.[xd] ?? 0);
          continue;
        }
        const mu = kern.mus[k] ?? 0;
        const sigma = kern.sigmas[k] ?? 1;
        const { step, log } = kern.dim;
        if (step === 0) {
          terms[k] = (terms[k] ?? 0) + truncNormLogPdf(log ? Math.log(xd) : xd, mu, sigma, kern.low, kern.high);
        } else {
          const left = log ? Math.log(xd - step / 2) : xd - step / 2;
          const right = log ? Math.log(xd + step / 2) : xd + step / 2;
          terms[k] =
            (terms[k] ?? 0) + logGaussMass((left - mu) / sigma, (right - mu) / sigma) - logGaussMass((kern.low - mu) / sigma, (kern.high - mu) / sigma);
        }
      }
    });
    return logSumExp(terms);
  }
}

