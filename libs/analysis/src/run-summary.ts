import { seriesOf, type TCurve } from './curve';
import { findGaps } from './gap';
import { finiteOrNull, ZAnalysisOptions } from './options';
import { traceEarlyStopping } from './trace';

/** What the platform stores per run when it ends, so lists sort and filter without reading epochs. */
export interface TRunCurveSummary {
  bestEpoch: number | null;
  bestValAccuracy: number | null;
  bestValLoss: number | null;
  bestAccuracy: number | null;
  bestLoss: number | null;
  /** The generalization gap at bestEpoch (findGaps). */
  gapLoss: number | null;
  gapAccuracy: number | null;
  /** Sum of the epochs' durations. */
  durationMs: number | null;
  epochsDone: number;
}

/**
 * A run's summary from its recorded curve. The best epoch is the one the trainer reported when it
 * is a recorded epoch, else Keras' best epoch for `monitor` (findBestEpoch's rule, unlimited patience).
 */
export function summarizeCurve(curve: TCurve, opts: { monitor: string; reportedBestEpoch?: number | null }): TRunCurveSummary {
  const reported = opts.reportedBestEpoch ?? null;
  const o = ZAnalysisOptions.parse({ monitor: opts.monitor });
  const bestEpoch =
    reported !== null && curve.epochs.includes(reported)
      ? reported
      : (traceEarlyStopping(curve.epochs, seriesOf(curve, o.monitor), o).steps.at(-1)?.bestEpoch ?? null);
  const i = bestEpoch === null ? -1 : curve.epochs.indexOf(bestEpoch);
  const at = (name: 'val_accuracy' | 'val_loss' | 'accuracy' | 'loss') => (i === -1 ? null : finiteOrNull(seriesOf(curve, name)[i]));
  const gap = i === -1 ? undefined : findGaps(curve)[i];
  const durations = seriesOf(curve, 'duration_ms').map(finiteOrNull).filter((v): v is number => v !== null);
  return {
    bestEpoch,
    bestValAccuracy: at('val_accuracy'),
    bestValLoss: at('val_loss'),
    bestAccuracy: at('accuracy'),
    bestLoss: at('loss'),
    gapLoss: gap?.loss ?? null,
    gapAccuracy: gap?.accuracy ?? null,
    durationMs: durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0),
    epochsDone: curve.epochs.length,
  };
}
