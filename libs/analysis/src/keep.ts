import type { TStopOutcome } from './counterfactual';
import type { TDirection } from './options';

/** The share of the best value a patience must keep: within 1% of it (`hz analyze`'s column). */
export const KEEP_FRACTION = 0.99;

/**
 * Whether `kept` is at least `fraction` as good as `reference`: within (1 - fraction) * |reference|
 * of it, on the worse side (above it for a minimised metric, below for a maximised one).
 */
export function isKept(kept: number | null, reference: number, direction: TDirection, fraction = KEEP_FRACTION): boolean {
  if (kept === null) return false;
  const slack = (1 - fraction) * Math.abs(reference);
  return direction === 'min' ? kept <= reference + slack : kept >= reference - slack;
}

/** The value a row keeps, with or without restore_best_weights. */
export const keptValue = (row: TStopOutcome, restoreBestWeights: boolean): number | null => (restoreBestWeights ? row.valueRestored : row.valueLast);

/** A run's counterfactual row for a patience; past the table every patience runs to the end, like its last row. */
export function rowFor(rows: readonly TStopOutcome[], patience: number): TStopOutcome | undefined {
  return rows[Math.min(patience, rows.length - 1)];
}
