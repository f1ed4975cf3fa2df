import { z } from 'zod';

import { ZBackend } from './platform';
import { zText } from './text';

/**
 * The metric catalogue: every number a run records, once. Keras names on the wire and in the
 * UI (loss, val_accuracy...); `column` is the database column (Prisma field) that stores it.
 * Ingest, queries, early stopping, charts, the CLI and the analysis all read it from here.
 */
export interface TMetricInfo {
  label: string;
  /** Which way is better; null where neither is (the learning rate). */
  better: 'min' | 'max' | null;
  unit: 'loss' | 'fraction' | 'learning-rate' | 'ms' | 'images/s';
  /** Prisma field on EpochMetric (epoch metrics) or Run (run metrics). */
  column: string;
  /** The range a recorded value must lie in (inclusive). */
  min: number;
  max: number | null;
  /** Which data it is measured on. */
  split: 'train' | 'validation' | 'test' | null;
}

export const EPOCH_METRICS = {
  loss: { label: 'Training loss', better: 'min', unit: 'loss', column: 'loss', min: 0, max: null, split: 'train' },
  accuracy: { label: 'Training accuracy', better: 'max', unit: 'fraction', column: 'accuracy', min: 0, max: 1, split: 'train' },
  val_loss: { label: 'Validation loss', better: 'min', unit: 'loss', column: 'valLoss', min: 0, max: null, split: 'validation' },
  val_accuracy: { label: 'Validation accuracy', better: 'max', unit: 'fraction', column: 'valAccuracy', min: 0, max: 1, split: 'validation' },
  lr: { label: 'Learning rate', better: null, unit: 'learning-rate', column: 'lr', min: 0, max: null, split: null },
  duration_ms: { label: 'Epoch time', better: 'min', unit: 'ms', column: 'durationMs', min: 0, max: null, split: null },
  images_per_sec: { label: 'Training throughput', better: 'max', unit: 'images/s', column: 'imagesPerSec', min: 0, max: null, split: 'train' },
} as const satisfies Record<string, TMetricInfo>;
export type TEpochMetricName = keyof typeof EPOCH_METRICS;
export const EPOCH_METRIC_NAMES = Object.keys(EPOCH_METRICS) as TEpochMetricName[];

/** Measured once per run, after training (on the test split). */
export const RUN_METRICS = {
  test_loss: { label: 'Test loss', better: 'min', unit: 'loss', column: 'testLoss', min: 0, max: null, split: 'test' },
  test_accuracy: { label: 'Test accuracy', better: 'max', unit: 'fraction', column: 'testAccuracy', min: 0, max: 1, split: 'test' },
} as const satisfies Record<string, TMetricInfo>;
export type TRunMetricName = keyof typeof RUN_METRICS;

/** Metrics early stopping (and a sweep's objective) can watch: the per-epoch model quality ones. */
export const MONITORS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const satisfies readonly TEpochMetricName[];
export const ZMonitor = z.enum(MONITORS);
export type TMonitor = z.infer<typeof ZMonitor>;

/** Keras' "auto" mode: the catalogue's direction for known names, else Keras' own name rule. */
export function metricDirection(name: string): 'min' | 'max' {
  const info = (EPOCH_METRICS as Record<string, TMetricInfo>)[name] ?? (RUN_METRICS as Record<string, TMetricInfo>)[name];
  if (info?.better) return info.better;
  return name.endsWith('acc') || name.endsWith('accuracy') ? 'max' : 'min';
}

function zMetric(info: TMetricInfo) {
  const n = z.number().min(info.min);
  return info.max === null ? n : n.max(info.max);
}

/** Postgres integer columns hold at most this. */
export const INT32_MAX = 2 ** 31 - 1;

const PHASES = ['train', 'finetune'] as const;

/** One epoch as it travels (worker -> API -> clients): Keras names, values in the catalogue's ranges. */
export const ZEpochMetric = z.object({
  epoch: z.number().int().min(1).max(1_000_000),
  /** 'train', or 'finetune' for the second phase of a transfer run. */
  phase: z.enum(PHASES).default('train'),
  loss: zMetric(EPOCH_METRICS.loss),
  accuracy: zMetric(EPOCH_METRICS.accuracy).nullable(),
  val_loss: zMetric(EPOCH_METRICS.val_loss).nullable(),
  val_accuracy: zMetric(EPOCH_METRICS.val_accuracy).nullable(),
  lr: zMetric(EPOCH_METRICS.lr).nullable(),
  duration_ms: zMetric(EPOCH_METRICS.duration_ms),
  images_per_sec: zMetric(EPOCH_METRICS.images_per_sec).nullable(),
});
export type TEpochMetric = z.infer<typeof ZEpochMetric>;

/** The database row of an epoch (EpochMetric's metric columns), named by the catalogue. */
export type TEpochRow = { epoch: number; phase: TEpochMetric['phase'] } & {
  [K in TEpochMetricName as (typeof EPOCH_METRICS)[K]['column']]: TEpochMetric[K];
};

/** Wire -> row: the one mapping from Keras names to columns. */
export function toEpochRow(m: TEpochMetric): TEpochRow {
  const row: Record<string, unknown> = { epoch: m.epoch, phase: m.phase };
  for (const name of EPOCH_METRIC_NAMES) row[EPOCH_METRICS[name].column] = m[name];
  return row as TEpochRow;
}

/** Row -> wire; extra columns of the row (runId, attempt...) are left out. */
export function fromEpochRow(row: TEpochRow): TEpochMetric {
  const m: Record<string, unknown> = { epoch: row.epoch, phase: row.phase };
  for (const name of EPOCH_METRIC_NAMES) m[name] = (row as Record<string, unknown>)[EPOCH_METRICS[name].column];
  return m as TEpochMetric;
}

/** How a run ended, as its trainer reports it. */
export const ZRunResult = z.object({
  /** pruned: stopped at a Hyperband rung of its sweep (the API asked in its answer to the report). */
  status: z.enum(['succeeded', 'failed', 'cancelled', 'diverged', 'pruned']),
  bestEpoch: z.number().int().min(1).max(1_000_000).nullable(),
  stoppedEpoch: z.number().int().min(1).max(1_000_000).nullable(),
  testLoss: zMetric(RUN_METRICS.test_loss).nullable(),
  testAccuracy: zMetric(RUN_METRICS.test_accuracy).nullable(),
  paramCount: z.number().int().min(0).max(INT32_MAX).nullable(),
  backend: ZBackend.nullable(),
  device: zText(300).nullable(),
  error: zText(20_000).nullable(),
});
export type TRunResult = z.infer<typeof ZRunResult>;
