import type { TEpochMetric } from '@hyperzoo/schemas';

/** tfjs names its metrics after the `metrics` given to compile: `acc` or `accuracy`. */
const FROM_TFJS = {
  loss: ['loss'],
  accuracy: ['acc', 'accuracy'],
  val_loss: ['val_loss'],
  val_accuracy: ['val_acc', 'val_accuracy'],
} as const;

const pick = (logs: Record<string, unknown>, names: readonly string[]): number | null => {
  for (const n of names) {
    const v = logs[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
};

/**
 * One epoch of tfjs' `onEpochEnd` logs in the catalogue's Keras names. tfjs counts epochs
 * from 0, we from 1. A NaN or infinite loss is left out of the metric (ingest refuses it) and
 * reported as `diverged` by the caller.
 */
export function fromTfjsLogs(
  epochIndex: number,
  logs: Record<string, unknown>,
  timing: { durationMs: number; images: number; lr?: number | null },
): TEpochMetric | null {
  const loss = pick(logs, FROM_TFJS.loss);
  if (loss === null) return null;
  const seconds = timing.durationMs / 1000;
  return {
    epoch: epochIndex + 1,
    phase: 'train',
    loss,
    accuracy: pick(logs, FROM_TFJS.accuracy),
    val_loss: pick(logs, FROM_TFJS.val_loss),
    val_accuracy: pick(logs, FROM_TFJS.val_accuracy),
    lr: timing.lr ?? null,
    duration_ms: timing.durationMs,
    images_per_sec: timing.images > 0 && seconds > 0 ? timing.images / seconds : null,
  };
}
