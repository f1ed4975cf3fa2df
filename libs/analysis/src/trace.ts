import { isImprovement, resolveDirection, type TAnalysisOptions, type TDirection } from './options';
import type { TValue } from './curve';

/** What Keras EarlyStopping's state is after one epoch. None of it depends on patience. */
export interface TTraceStep {
  epoch: number;
  /** Keras looked at this epoch: the value was logged and the epoch is past start_from_epoch. */
  monitored: boolean;
  /** The value became the best one. */
  improved: boolean;
  /** Keras' `wait` after this epoch. */
  wait: number;
  /** The last improving epoch so far; null before any. */
  bestEpoch: number | null;
  /** Keras stops here for every patience <= wait: a monitored, non-improving epoch after the first. */
  canStop: boolean;
}

export interface TTrace {
  direction: TDirection;
  steps: TTraceStep[];
  /** The first monitored epoch: the weights restore_best_weights keeps when nothing ever improved. */
  firstMonitoredEpoch: number | null;
}

type TTraceOptions = Pick<TAnalysisOptions, 'monitor' | 'mode' | 'minDelta' | 'baseline' | 'startFromEpoch'>;

/**
 * One pass of Keras 3 EarlyStopping.on_epoch_end over a recorded curve, with patience left out:
 * best, best epoch and wait evolve the same whatever the patience, and a patience p stops at the
 * first step with `canStop && wait >= p`. So one trace answers every patience at once.
 * Rules (keras/src/callbacks/early_stopping.py): a null value or an epoch <= start_from_epoch is
 * skipped; wait += 1, then an improvement on best (which starts at +/-inf) becomes best, and
 * resets wait only if it also improves on the baseline; the stop check runs on non-improving
 * epochs only and never on epoch 1 (Keras' 0-based `epoch > 0`).
 */
export function traceEarlyStopping(epochs: readonly number[], values: readonly TValue[], options: TTraceOptions): TTrace {
  const direction = resolveDirection(options.monitor, options.mode);
  let best = direction === 'min' ? Infinity : -Infinity;
  let bestEpoch: number | null = null;
  let firstMonitoredEpoch: number | null = null;
  let wait = 0;
  const steps = epochs.map((epoch, i): TTraceStep => {
    const value = values[i] ?? null;
    if (value === null || epoch <= options.startFromEpoch) {
      return { epoch, monitored: false, improved: false, wait, bestEpoch, canStop: false };
    }
    firstMonitoredEpoch ??= epoch;
    wait += 1;
    if (isImprovement(value, best, direction, options.minDelta)) {
      best = value;
      bestEpoch = epoch;
      if (options.baseline === null || isImprovement(value, options.baseline, direction, options.minDelta)) wait = 0;
      return { epoch, monitored: true, improved: true, wait, bestEpoch, canStop: false };
    }
    return { epoch, monitored: true, improved: false, wait, bestEpoch, canStop: epoch > 1 };
  });
  return { direction, steps, firstMonitoredEpoch };
}

/** Index of the step where `patience` stops training, or null when it runs every recorded epoch. */
export function findStopIndex(trace: TTrace, patience: number | null): number | null {
  if (patience === null) return null;
  const i = trace.steps.findIndex((s) => s.canStop && s.wait >= patience);
  return i === -1 ? null : i;
}
