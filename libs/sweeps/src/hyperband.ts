import type { TEarlyTermination, TSweepGoal } from '@hyperzoo/schemas';

/**
 * Hyperband/ASHA early termination on the sweep's metric (Optuna's SuccessiveHalvingPruner and
 * HyperbandPruner): rungs at minEpochs, minEpochs*eta, ...; a run reaching a rung goes on only
 * if it is in the best 1/eta of the runs of its bracket that reached that rung so far.
 */

export interface THyperband {
  minEpochs: number;
  eta: number;
  /** The runs' last epoch: no rung at or after it. */
  maxEpochs: number;
  brackets: number;
}

export const hyperbandOf = (e: TEarlyTermination, runEpochs: number): THyperband => ({
  minEpochs: e.minEpochs,
  eta: e.eta,
  maxEpochs: e.maxEpochs ?? runEpochs,
  brackets: e.brackets,
});

/** Rung epochs of each bracket; bracket b starts at minEpochs * eta^b (an empty list: never pruned). */
export function hyperbandRungs(h: THyperband): number[][] {
  return Array.from({ length: h.brackets }, (_, b) => {
    const rungs: number[] = [];
    for (let epoch = h.minEpochs * h.eta ** b; epoch < h.maxEpochs; epoch *= h.eta) rungs.push(epoch);
    return rungs;
  });
}

/** Configurations go round-robin over the brackets (all repeats of one in the same bracket). */
export const bracketOf = (configuration: number, brackets: number): number => configuration % brackets;

const isBetter = (goal: TSweepGoal, a: number, b: number) => (goal === 'maximize' ? a > b : a < b);

/** The run's best metric value up to `epoch` (values[i] is epoch i+1); null while it has none. */
export function rungValue(values: readonly (number | null)[], epoch: number, goal: TSweepGoal): number | null {
  let best: number | null = null;
  for (const v of values.slice(0, epoch)) {
    if (v === null || Number.isNaN(v)) continue;
    if (best === null || isBetter(goal, v, best)) best = v;
  }
  return best;
}

/**
 * Optuna's promotion rule: among the rung values so far (this run's included), keep the best
 * max(1, floor(n/eta)); the cut-off is the worst value still kept. NaN is always pruned.
 */
export function rungDecision(value: number, competing: readonly number[], eta: number, goal: TSweepGoal): { prune: boolean; cutoff: number } {
  const sorted = competing.filter((v) => !Number.isNaN(v)).sort((a, b) => (goal === 'maximize' ? b - a : a - b));
  const keep = Math.max(1, Math.floor(competing.length / eta));
  const cutoff = sorted[Math.min(keep, sorted.length) - 1] ?? value;
  if (Number.isNaN(value)) return { prune: true, cutoff };
  return { prune: isBetter(goal, cutoff, value), cutoff };
}

/** The same rule for every run at a rung at once: which go on, which stop, and the cut-off value. */
export function cutRung<Id>(values: readonly { id: Id; value: number }[], eta: number, goal: TSweepGoal): { cutoff: number | null; keep: Id[]; prune: Id[] } {
  const all = values.map((v) => v.value);
  const decided = values.map((v) => ({ id: v.id, ...rungDecision(v.value, all, eta, goal) }));
  return {
    cutoff: decided[0]?.cutoff ?? null,
    keep: decided.filter((d) => !d.prune).map((d) => d.id),
    prune: decided.filter((d) => d.prune).map((d) => d.id),
  };
}

export type TPruneCheck = { action: 'continue' } | { action: 'continue' | 'prune'; rung: number; value: number; cutoff: number };

/**
 * At the end of `epoch`: is it a rung of this run's bracket, and if so, does the run go on?
 * `peers` are the rung values already recorded at this rung by the other runs of the bracket.
 */
export function checkPruning(input: {
  hyperband: THyperband;
  goal: TSweepGoal;
  configuration: number;
  epoch: number;
  /** This run's metric per epoch so far (index 0 = epoch 1). */
  values: readonly (number | null)[];
  peers: readonly number[];
}): TPruneCheck {
  const rungs = hyperbandRungs(input.hyperband)[bracketOf(input.configuration, input.hyperband.brackets)] ?? [];
  const rung = rungs.indexOf(input.epoch);
  if (rung < 0) return { action: 'continue' };
  const value = rungValue(input.values, input.epoch, input.goal) ?? NaN;
  const { prune, cutoff } = rungDecision(value, [...input.peers, value], input.hyperband.eta, input.goal);
  return { action: prune ? 'prune' : 'continue', rung, value, cutoff };
}
