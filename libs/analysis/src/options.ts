import { z } from 'zod';

import { metricDirection, ZEarlyStopping, type TEarlyStopping } from '@hyperzoo/schemas';

/**
 * Keras EarlyStopping's arguments (ZEarlyStopping), except that patience may be null: analyse the
 * recorded curve as it is, with no early stopping applied.
 */
export const ZAnalysisOptions = ZEarlyStopping.extend({
  patience: z.number().int().min(0).max(1_000_000).nullable().default(null),
});
export type TAnalysisOptions = z.infer<typeof ZAnalysisOptions>;
export type TAnalysisOptionsInput = z.input<typeof ZAnalysisOptions>;

export type TDirection = 'min' | 'max';

/** Keras' "auto" mode: the metric catalogue's direction (loss minimised, accuracy maximised). */
export function resolveDirection(monitor: string, mode: TEarlyStopping['mode']): TDirection {
  return mode === 'auto' ? metricDirection(monitor) : mode;
}

/**
 * Keras `_is_improvement`: `monitor_op(current - min_delta, reference)` with min_delta negated in
 * min mode. Strict, so a change of exactly min_delta is not an improvement; NaN never is.
 */
export function isImprovement(current: number, reference: number, direction: TDirection, minDelta: number): boolean {
  const delta = direction === 'max' ? Math.abs(minDelta) : -Math.abs(minDelta);
  const shifted = current - delta;
  return direction === 'min' ? shifted < reference : shifted > reference;
}

/** Output numbers are finite or null (JSON and zod have no NaN or Infinity). */
export const finiteOrNull = (x: number | null | undefined): number | null => (x !== null && x !== undefined && Number.isFinite(x) ? x : null);
