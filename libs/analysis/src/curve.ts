import { EPOCH_METRIC_NAMES, type TEpochMetricName } from '@hyperzoo/schemas';

/**
 * A metric's value at one epoch: a number (NaN and +/-Infinity included: Keras counts them as
 * epochs without improvement), or null where the metric was not logged (Keras skips the epoch).
 */
export type TValue = number | null;

/** Recorded epochs of one run (one training phase): ascending epoch numbers, one value per epoch per metric. */
export interface TCurve {
  epochs: readonly number[];
  metrics: Partial<Record<TEpochMetricName, readonly TValue[]>>;
}

/** A per-epoch record with Keras names, as the API, the SDK or a script report it. */
export type TEpochRecord = { epoch?: number } & Partial<Record<TEpochMetricName, number | null | undefined>>;

/** The values of one metric, aligned with `curve.epochs` (all null when it was not recorded). */
export function seriesOf(curve: TCurve, name: TEpochMetricName): readonly TValue[] {
  return curve.metrics[name] ?? curve.epochs.map(() => null);
}

/** A bare list of values of `name`, epochs 1..n. */
export function curveFromValues(name: TEpochMetricName, values: readonly TValue[]): TCurve {
  return { epochs: values.map((_, i) => i + 1), metrics: { [name]: values } };
}

/**
 * Records -> curve. The platform stores a NaN or infinite value as null (its columns hold finite
 * numbers only), so null means "not finite" (NaN here) where the same metric has a value at some
 * other epoch, and "not logged" where it has none at any epoch (e.g. no validation set).
 * Epochs without an `epoch` number are numbered by position, from 1.
 */
export function curveFromRecords(records: readonly TEpochRecord[]): TCurve {
  const epochs = records.map((r, i) => r.epoch ?? i + 1);
  const metrics: TCurve['metrics'] = {};
  for (const name of EPOCH_METRIC_NAMES) {
    const raw = records.map((r) => r[name] ?? null);
    if (raw.every((v) => v === null)) continue;
    metrics[name] = raw.map((v) => (v === null ? Number.NaN : v));
  }
  return { epochs, metrics };
}
