import { seriesOf, type TCurve, type TValue } from './curve';
import { finiteOrNull } from './options';
import { findStopIndex, type TTrace } from './trace';

/** Where a patience would have stopped the recorded run, and what it would have kept. */
export interface TStopOutcome {
  /** null: never stops within the recorded epochs (the row of every larger patience too). */
  patience: number | null;
  /** The epoch Keras stops after; null when it runs every recorded epoch. */
  stoppedEpoch: number | null;
  /** Recorded epochs trained. */
  epochsRun: number;
  /** The last improving epoch (Keras' best_epoch without restore_best_weights); null if none. */
  bestEpoch: number | null;
  /** The epoch whose weights restore_best_weights keeps: the best, else the first monitored one. */
  restoredEpoch: number | null;
  /** The monitored value of the weights kept without restore_best_weights: the last epoch run. */
  valueLast: number | null;
  /** The monitored value of the weights kept with restore_best_weights. */
  valueRestored: number | null;
  /** Recorded epochs after the stop. */
  epochsSaved: number;
  /** Their measured duration (duration_ms) in seconds; null when a duration is missing. */
  secondsSaved: number | null;
}

/** The outcome of one patience (null: no early stopping) over a traced curve. */
export function findStopOutcome(curve: TCurve, trace: TTrace, values: readonly TValue[], patience: number | null): TStopOutcome {
  const n = trace.steps.length;
  const stop = findStopIndex(trace, patience);
  const last = stop ?? n - 1;
  const step = trace.steps[last];
  const bestEpoch = step?.bestEpoch ?? null;
  // A stop happens on a monitored epoch, so the first monitored one is always among those run.
  const restoredEpoch = bestEpoch ?? trace.firstMonitoredEpoch;
  const valueAt = (epoch: number | null) => (epoch === null ? null : finiteOrNull(values[curve.epochs.indexOf(epoch)]));
  const durations = seriesOf(curve, 'duration_ms').slice(last + 1);
  const seconds = durations.reduce<number | null>((sum, d) => (sum === null || d === null || !Number.isFinite(d) ? null : sum + d / 1000), 0);
  return {
    patience,
    stoppedEpoch: stop === null ? null : (step?.epoch ?? null),
    epochsRun: last + 1,
    bestEpoch,
    restoredEpoch,
    valueLast: finiteOrNull(values[last]),
    valueRestored: valueAt(restoredEpoch),
    epochsSaved: n - last - 1,
    secondsSaved: seconds,
  };
}

/**
 * Counterfactual early stopping without retraining: for every patience 0, 1, 2... the outcome on
 * the recorded curve, up to the first patience that never stops (that row stands for all larger
 * ones). Valid up to the recorded run's own end: a run that was itself stopped early says nothing
 * about the epochs it never trained.
 */
export function findCounterfactuals(curve: TCurve, trace: TTrace, values: readonly TValue[]): TStopOutcome[] {
  const rows: TStopOutcome[] = [];
  for (let patience = 0; ; patience++) {
    const row = findStopOutcome(curve, trace, values, patience);
    rows.push(row);
    if (row.stoppedEpoch === null) return rows;
  }
}
