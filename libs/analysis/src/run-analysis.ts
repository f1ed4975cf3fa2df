import { findCounterfactuals, findStopOutcome, type TStopOutcome } from './counterfactual';
import { seriesOf, type TCurve } from './curve';
import { findGaps, type TGap } from './gap';
import { isKept, KEEP_FRACTION, keptValue } from './keep';
import { findOverfittingOnset } from './onset';
import { finiteOrNull, ZAnalysisOptions, type TAnalysisOptionsInput, type TDirection } from './options';
import { traceEarlyStopping } from './trace';

/** The smallest patience whose kept value is within 1% of the run's best (see isKept). */
export interface TKeepPatience {
  patience: number;
  stoppedEpoch: number | null;
  epochsSaved: number;
  secondsSaved: number | null;
}

/** Everything the platform says about one run's overfitting. */
export interface TRunAnalysis {
  monitor: string;
  direction: TDirection;
  epochsRecorded: number;
  /** The run under the options' early stopping (patience null: the whole recorded run). */
  epochsRun: number;
  stoppedEpoch: number | null;
  /** Keras' best_epoch: the last improvement; with restore_best_weights the first monitored epoch when none. */
  bestEpoch: number | null;
  /** The monitored value at bestEpoch. */
  bestValue: number | null;
  /** The highest val_accuracy among the epochs run. */
  bestValAccuracy: number | null;
  /** The generalization gap at bestEpoch. */
  gapAtBest: Omit<TGap, 'epoch'>;
  onsetEpoch: number | null;
  /** Over the whole recorded run: the smallest patience keeping 99% of its best value, with the options' restore_best_weights. */
  keep99: TKeepPatience | null;
  /** Over the whole recorded run, patience 0, 1, 2... up to the first that never stops. */
  counterfactual: TStopOutcome[];
  gaps: TGap[];
}

const sliceCurve = (curve: TCurve, n: number): TCurve => ({
  epochs: curve.epochs.slice(0, n),
  metrics: Object.fromEntries(Object.entries(curve.metrics).map(([k, v]) => [k, v.slice(0, n)])),
});

/** Analyses one run's recorded curve (one training phase) under Keras EarlyStopping options. */
export function analyzeCurve(curve: TCurve, options: TAnalysisOptionsInput = {}): TRunAnalysis {
  const o = ZAnalysisOptions.parse(options);
  const values = seriesOf(curve, o.monitor);
  const trace = traceEarlyStopping(curve.epochs, values, o);
  const counterfactual = findCounterfactuals(curve, trace, values);

  const run = findStopOutcome(curve, trace, values, o.patience);
  const ran = sliceCurve(curve, run.epochsRun);
  const bestEpoch = o.restoreBestWeights ? run.restoredEpoch : run.bestEpoch;
  const bestIndex = bestEpoch === null ? -1 : curve.epochs.indexOf(bestEpoch);
  const gaps = findGaps(curve);
  const valAccuracy = seriesOf(ran, 'val_accuracy').map(finiteOrNull).filter((v): v is number => v !== null);

  const full = findStopOutcome(curve, trace, values, null);
  const reference = full.valueRestored;
  const keeping = reference === null ? undefined : counterfactual.find((row) => isKept(keptValue(row, o.restoreBestWeights), reference, trace.direction, KEEP_FRACTION));

  return {
    monitor: o.monitor,
    direction: trace.direction,
    epochsRecorded: curve.epochs.length,
    epochsRun: run.epochsRun,
    stoppedEpoch: run.stoppedEpoch,
    bestEpoch,
    bestValue: bestIndex === -1 ? null : finiteOrNull(values[bestIndex]),
    bestValAccuracy: valAccuracy.length === 0 ? null : Math.max(...valAccuracy),
    gapAtBest: { loss: gaps[bestIndex]?.loss ?? null, accuracy: gaps[bestIndex]?.accuracy ?? null },
    onsetEpoch: findOverfittingOnset(ran, o),
    keep99: keeping && keeping.patience !== null
      ? { patience: keeping.patience, stoppedEpoch: keeping.stoppedEpoch, epochsSaved: keeping.epochsSaved, secondsSaved: keeping.secondsSaved }
      : null,
    counterfactual,
    gaps,
  };
}
