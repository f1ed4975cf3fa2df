import { z } from 'zod';

import { metricDirection, type TEarlyStopping } from '@hyperzoo/schemas';

/**
 * Keras EarlyStopping, as in Keras 3 (keras/src/callbacks/early_stopping.py; tf.keras 2.13+ is
 * the same for these metrics). Pure logic: the caller snapshots and restores weights when told to.
 *
 * - mode auto: maximise when the monitor name ends in 'acc'/'accuracy', else minimise.
 * - improvement: monitor_op(current - min_delta, reference), min_delta negated in min mode;
 *   strict comparison, so a change of exactly min_delta is not an improvement; NaN never is.
 * - best starts at +/-inf (not at the baseline, unlike TF <= 2.5); an epoch that beats best
 *   becomes best even if it does not beat the baseline, but wait resets only when it beats both.
 * - start_from_epoch S: epochs 1..S (Keras' 0-based `epoch < S`) are ignored like a missing
 *   value: no best, no wait, no snapshot. The epoch is the run's absolute one, as in Keras.
 * - wait is incremented first; the stop check runs only on non-improving epochs and never on
 *   the first epoch of training (Keras' `epoch > 0`).
 * - restore_best_weights: the first monitored epoch's weights are snapshotted even if it does
 *   not improve, then every best epoch's; they are restored at train end, whether or not
 *   training stopped early (tf.keras 2.13+/Keras 3; TF 2.4-2.12 restored only on stop).
 */
export class EarlyStopping {
  readonly monitor: TEarlyStopping['monitor'];
  readonly direction: 'min' | 'max';
  private readonly config: TEarlyStopping;
  private readonly delta: number;
  private state: TEarlyStoppingState;

  constructor(config: TEarlyStopping, state?: TEarlyStoppingState) {
    this.config = config;
    this.monitor = config.monitor;
    this.direction = resolveDirection(config.monitor, config.mode);
    // Keras stores min_delta with the sign of the mode.
    this.delta = this.direction === 'max' ? Math.abs(config.minDelta) : -Math.abs(config.minDelta);
    this.state = state ? ZEarlyStoppingState.parse(state) : initialEarlyStoppingState();
  }

  /**
   * on_epoch_end. `epoch` is the run's 1-based epoch number (resumed runs and fine-tuning
   * phases continue the numbering, like Keras' initial_epoch). A missing value
   * (null/undefined) is ignored, as Keras does when the monitor is not in the logs.
   */
  update(epoch: number, current: number | null | undefined): TEarlyStoppingStep {
    // Keras: `if current is None or epoch < self.start_from_epoch: return` (its epoch is 0-based).
    if (current === null || current === undefined || epoch <= this.config.startFromEpoch) {
      return { improved: false, stop: false, snapshot: false };
    }
    let snapshot = false;
    if (this.config.restoreBestWeights && !this.state.hasSnapshot) {
      // Keras: with no progress at all, the first monitored epoch's weights are the ones restored.
      snapshot = true;
      this.state.hasSnapshot = true;
      this.state.bestEpoch = epoch;
    }
    this.state.wait += 1;
    if (this.isImprovement(current, this.bestValue())) {
      this.state.best = current;
      this.state.bestEpoch = epoch;
      if (this.config.restoreBestWeights) {
        snapshot = true;
        this.state.hasSnapshot = true;
      }
      if (this.config.baseline === null || this.isImprovement(current, this.config.baseline)) this.state.wait = 0;
      return { improved: true, stop: false, snapshot };
    }
    // Keras' `epoch > 0` (0-based): never stop on the first epoch of training.
    if (this.state.wait >= this.config.patience && epoch > 1) {
      this.state.stoppedEpoch = epoch;
      return { improved: false, stop: true, snapshot };
    }
    return { improved: false, stop: false, snapshot };
  }

  /** Whether weights must be restored from the snapshot at train end (Keras on_train_end). */
  get shouldRestore(): boolean {
    return this.config.restoreBestWeights && this.state.hasSnapshot;
  }

  get bestEpoch(): number | null {
    return this.state.bestEpoch;
  }

  get stoppedEpoch(): number | null {
    return this.state.stoppedEpoch;
  }

  /** A JSON-safe copy of the state (for checkpoints). */
  getState(): TEarlyStoppingState {
    return { ...this.state };
  }

  private bestValue(): number {
    if (this.state.best !== null) return this.state.best;
    return this.direction === 'min' ? Infinity : -Infinity;
  }

  private isImprovement(current: number, reference: number): boolean {
    const shifted = current - this.delta;
    return this.direction === 'min' ? shifted < reference : shifted > reference;
  }
}

export interface TEarlyStoppingStep {
  /** The epoch became the best one. */
  improved: boolean;
  /** Training must stop after this epoch. */
  stop: boolean;
  /** restoreBestWeights: snapshot the current weights now. */
  snapshot: boolean;
}

export const ZEarlyStoppingState = z.object({
  wait: z.number().int().min(0),
  /** null until a value beat +/-inf (JSON has no Infinity). */
  best: z.number().nullable(),
  bestEpoch: z.number().int().min(1).nullable(),
  stoppedEpoch: z.number().int().min(1).nullable(),
  hasSnapshot: z.boolean(),
});
export type TEarlyStoppingState = z.infer<typeof ZEarlyStoppingState>;

export function initialEarlyStoppingState(): TEarlyStoppingState {
  return { wait: 0, best: null, bestEpoch: null, stoppedEpoch: null, hasSnapshot: false };
}

/** Keras' auto mode: the metric catalogue's direction (Keras' rule: names ending in acc/accuracy are maximised). */
export function resolveDirection(monitor: string, mode: TEarlyStopping['mode']): 'min' | 'max' {
  return mode === 'auto' ? metricDirection(monitor) : mode;
}
