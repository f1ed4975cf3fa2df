import { curveFromValues, type TValue } from './curve';
import { ZAnalysisOptions, type TAnalysisOptionsInput } from './options';
import { traceEarlyStopping } from './trace';

/**
 * The best epoch of a curve (1-based, epochs 1..n) as Keras EarlyStopping records it with
 * unlimited patience: the last epoch whose value improved on the best so far by more than
 * min_delta in the monitor's direction (mode auto: from the metric name). With min_delta 0 that
 * is the first epoch holding the minimum (maximum); NaN, +/-Infinity in the wrong direction, null
 * and the start_from_epoch warm-up never count. Null when no epoch improved.
 */
export function findBestEpoch(values: readonly TValue[], options: TAnalysisOptionsInput = {}): number | null {
  const o = ZAnalysisOptions.parse(options);
  const curve = curveFromValues(o.monitor, values);
  const trace = traceEarlyStopping(curve.epochs, values, o);
  return trace.steps.at(-1)?.bestEpoch ?? null;
}
