import { seriesOf, type TCurve } from './curve';
import { ZAnalysisOptions, type TAnalysisOptionsInput } from './options';
import { traceEarlyStopping } from './trace';

/**
 * Overfitting onset: the first epoch after which the monitored validation metric (default
 * val_loss) never again improves by more than min_delta (Keras' improvement rule, so this is its
 * best epoch with unlimited patience) while the training loss still reaches a new minimum at some
 * later epoch. Null when the metric never improved, improved last at the last epoch, or the
 * training loss stopped improving too (that is a plateau, not overfitting).
 */
export function findOverfittingOnset(curve: TCurve, options: TAnalysisOptionsInput = {}): number | null {
  const o = ZAnalysisOptions.parse(options);
  const trace = traceEarlyStopping(curve.epochs, seriesOf(curve, o.monitor), o);
  const best = trace.steps.at(-1)?.bestEpoch ?? null;
  if (best === null) return null;
  const loss = seriesOf(curve, 'loss');
  let lowest = Infinity;
  for (const [i, epoch] of curve.epochs.entries()) {
    const v = loss[i] ?? null;
    if (v === null || Number.isNaN(v)) continue;
    if (epoch > best && v < lowest) return best;
    lowest = Math.min(lowest, v);
  }
  return null;
}
