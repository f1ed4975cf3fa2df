import type { TArchitecture, TSweepGoal } from '@hyperzoo/schemas';
import { TPE_DEFAULTS } from '@hyperzoo/schemas';

import { createRng, type TRng } from '../random';
import { sampleRandom } from '../sample';
import { paramsOf, type TAssignment, type TDimension, type TJson, type TSearchSpace } from '../space';
import { ParzenEstimator, type TTpeDim } from './parzen';

/**
 * Tree-structured Parzen Estimator as Optuna's TPESampler (v5 defaults: multivariate, constant
 * liar, gamma = min(ceil(0.1 n), 25), 24 EI candidates, 10 start-up trials).
 * The parameters every architecture of the sweep shares (and the architecture itself) are
 * sampled jointly; an architecture's own parameters are conditional and sampled one by one
 * from the trials that have them, as Optuna does outside the intersection search space.
 */

export interface TTrial {
  /** Creation order (Optuna's trial number). */
  number: number;
  assignment: TAssignment;
  /** running trials count as bad ones (constant liar), so parallel proposals spread out. */
  state: 'complete' | 'pruned' | 'running';
  /** complete: the objective; pruned: the metric at its last rung. */
  value: number | null;
  /** pruned: the epoch of `value`. */
  step?: number;
}

export interface TTpeOptions {
  goal: TSweepGoal;
  seed: number;
  /** The number of the trial being proposed: with the seed, it fixes the random stream. */
  number: number;
  startupTrials?: number;
  eiCandidates?: number;
}

export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

const ARCHITECTURE_KEY = 'architecture';

interface TTpeParam {
  key: string;
  tpe: TTpeDim;
  /** External value <-> internal number (category index, or the value itself). */
  toInternal: (v: TJson | undefined) => number | null;
  toExternal: (x: number) => TJson;
}

function tpeParam(key: string, dim: Exclude<TDimension, { type: 'constant' }>): TTpeParam {
  if (dim.type === 'categorical') {
    const encoded = dim.choices.map((c) => JSON.stringify(c));
    return {
      key,
      tpe: { type: 'categorical', size: dim.choices.length },
      toInternal: (v) => {
        const i = v === undefined ? -1 : encoded.indexOf(JSON.stringify(v));
        return i < 0 ? null : i;
      },
      toExternal: (x) => dim.choices[x] ?? null,
    };
  }
  const numeric = (low: number, high: number, log: boolean, step: number, integer: boolean, clamp = false): TTpeParam => ({
    key,
    tpe: { type: 'numeric', low, high, log, step },
    toInternal: (v) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return null;
      if (clamp) return Math.min(high, Math.max(low, v));
      return v >= low - step / 2 && v <= high + step / 2 ? v : null;
    },
    toExternal: (x) => (integer ? Math.round(x) : step > 0 ? Number(x.toPrecision(12)) : x),
  });
  if (dim.type === 'int') return numeric(dim.low, dim.high, false, 1, true);
  if (dim.type === 'float') return numeric(dim.low, dim.high, dim.log, dim.step ?? 0, false);
  // A normal parameter is searched over mu +- 3 sigma (within its bounds); random start-up draws beyond it are clamped in.
  return numeric(Math.max(dim.low ?? -Infinity, dim.mu - 3 * dim.sigma), Math.min(dim.high ?? Infinity, dim.mu + 3 * dim.sigma), false, 0, false, true);
}

const architectureParam = (archs: readonly TArchitecture[]): TTpeParam => ({
  key: ARCHITECTURE_KEY,
  tpe: { type: 'categorical', size: archs.length },
  toInternal: (v) => {
    const i = archs.indexOf(v as TArchitecture);
    return i < 0 ? null : i;
  },
  toExternal: (x) => archs[x] ?? null,
});

const valueOf = (t: TTrial, key: string): TJson | undefined => (key === ARCHITECTURE_KEY ? t.assignment.architecture : t.assignment.values[key]);

/** Optuna's _split_trials: the best gamma(n) finished trials are "below" (good); running ones are "above". */
export function splitTrials(trials: readonly TTrial[], goal: TSweepGoal): { below: TTrial[]; above: TTrial[] } {
  const sign = goal === 'maximize' ? -1 : 1;
  const complete = trials.filter((t) => t.state === 'complete');
  const pruned = trials.filter((t) => t.state === 'pruned');
  const running = trials.filter((t) => t.state === 'running');
  let nBelow = defaultGamma(complete.length + pruned.length);
  const byValue = [...complete].sort((a, b) => sign * ((a.value ?? 0) - (b.value ?? 0)));
  const belowComplete = byValue.slice(0, nBelow);
  nBelow = Math.max(0, nBelow - belowComplete.length);
  // Pruned trials that went further rank better; then by their last value (NaN last).
  const prunedScore = (t: TTrial): [number, number] => [-(t.step ?? 0), t.value === null || Number.isNaN(t.value) ? Infinity : sign * t.value];
  const byProgress = [...pruned].sort((a, b) => {
    const [sa, va] = prunedScore(a);
    const [sb, vb] = prunedScore(b);
    return sa - sb || va - vb;
  });
  const below = [...belowComplete, ...byProgress.slice(0, nBelow)];
  const above = [...byValue.slice(belowComplete.length), ...byProgress.slice(nBelow), ...running];
  const byNumber = (a: TTrial, b: TTrial) => a.number - b.number;
  return { below: below.sort(byNumber), above: above.sort(byNumber) };
}

/** The best of `candidates` points drawn from l(x), by log l(x) - log g(x), over the trials that have every key. */
function sampleGroup(params: readonly TTpeParam[], below: readonly TTrial[], above: readonly TTrial[], rng: TRng, candidates: number): number[] {
  const observe = (trials: readonly TTrial[]) =>
    trials.flatMap((t) => {
      const row = params.map((p) => p.toInternal(valueOf(t, p.key)));
      return row.every((x): x is number => x !== null) ? [row] : [];
    });
  const dims = params.map((p) => p.tpe);
  const l = new ParzenEstimator(dims, observe(below));
  const g = new ParzenEstimator(dims, observe(above));
  let best: number[] = [];
  let bestScore = -Infinity;
  for (const x of l.sample(rng, candidates)) {
    const score = l.logPdf(x) - g.logPdf(x);
    if (best.length === 0 || score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The next configuration of a TPE sweep given every trial so far (finished, pruned, running).
 * Until startupTrials have finished it is the random search's configuration `number`.
 */
export function proposeTpe(space: TSearchSpace, trials: readonly TTrial[], options: TTpeOptions): TAssignment {
  const startup = options.startupTrials ?? TPE_DEFAULTS.startupTrials;
  const candidates = options.eiCandidates ?? TPE_DEFAULTS.eiCandidates;
  const usable = trials.filter((t) => t.state !== 'complete' || (t.value !== null && Number.isFinite(t.value)));
  const finished = usable.filter((t) => t.state !== 'running').length;
  if (finished < startup) return sampleRandom(space, createRng(options.seed, 'configuration', options.number));

  const rng = createRng(options.seed, 'tpe', options.number);
  const { below, above } = splitTrials(usable, options.goal);
  const shared = space.params.flatMap((p) =>
    p.architectures.length === space.architectures.length && p.dim.type !== 'constant' ? [tpeParam(p.key, p.dim)] : [],
  );
  const joint = [...(space.architectures.length > 1 ? [architectureParam(space.architectures)] : []), ...shared];

  const values: Record<string, TJson> = {};
  let architecture = space.architectures[0];
  if (joint.length > 0) {
    const x = sampleGroup(joint, below, above, rng, candidates);
    joint.forEach((p, d) => {
      const v = p.toExternal(x[d] ?? 0);
      if (p.key === ARCHITECTURE_KEY) architecture = v as TArchitecture;
      else values[p.key] = v;
    });
  }
  if (architecture === undefined) throw new Error('a search space without architectures');
  for (const p of paramsOf(space, architecture)) {
    if (p.key in values) continue;
    if (p.dim.type === 'constant') {
      values[p.key] = p.dim.value;
      continue;
    }
    const param = tpeParam(p.key, p.dim);
    const x = sampleGroup([param], below, above, rng, candidates);
    values[p.key] = param.toExternal(x[0] ?? 0);
  }
  return { architecture, values };
}
