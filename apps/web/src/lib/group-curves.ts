import { describe, rowFor } from '@hyperzoo/analysis';
import type { TStopOutcome } from '@hyperzoo/analysis';

/** One run of a group, with what analysis.run answered for it. */
export interface TGroupedRun {
  key: string;
  gaps: readonly { epoch: number; loss: number | null }[];
  counterfactual: readonly TStopOutcome[];
}

/** Per epoch, a group's mean loss gap and its spread (mean ± one sample sd) over the group's runs. */
export interface TGapBand {
  epoch: number;
  mean: number | null;
  band: [number, number] | null;
  count: number;
}

function groupBy<T extends { key: string }>(runs: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of runs) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
  return groups;
}

/**
 * The loss gap of each group, epoch by epoch, as mean and spread over its runs (seeds and other
 * settings alike), with libs/analysis' own `describe`: the numbers of the groups table.
 */
export function summarizeGapCurves(runs: readonly TGroupedRun[]): Map<string, TGapBand[]> {
  const out = new Map<string, TGapBand[]>();
  for (const [key, members] of groupBy(runs)) {
    const epochs = [...new Set(members.flatMap((m) => m.gaps.map((g) => g.epoch)))].sort((a, b) => a - b);
    out.set(
      key,
      epochs.map((epoch) => {
        const s = describe(members.map((m) => m.gaps.find((g) => g.epoch === epoch)?.loss ?? null));
        const band: [number, number] | null = s.mean !== null && s.sd !== null ? [s.mean - s.sd, s.mean + s.sd] : null;
        return { epoch, mean: s.mean, band, count: s.count };
      }),
    );
  }
  return out;
}

/** Per patience, a group's mean monitored value kept (without and with restore_best_weights) and mean epochs saved. */
export interface TPatiencePoint {
  patience: number;
  valueLast: number | null;
  valueRestored: number | null;
  epochsSaved: number | null;
}

/**
 * The counterfactual early-stopping table of each group: for patience 0 up to the longest table
 * of any run, the mean over the group's runs of what that patience keeps and saves (a run's table
 * ends at the first patience that never stops: larger ones behave like it, as libs/analysis rowFor says).
 */
export function summarizeCounterfactual(runs: readonly TGroupedRun[]): Map<string, TPatiencePoint[]> {
  const out = new Map<string, TPatiencePoint[]>();
  // One patience range for all groups, so their curves end together.
  const longest = Math.max(0, ...runs.map((r) => r.counterfactual.length));
  for (const [key, members] of groupBy(runs)) {
    const tables = members.map((m) => m.counterfactual).filter((t) => t.length > 0);
    const points: TPatiencePoint[] = [];
    for (let p = 0; p < longest; p++) {
      const rows = tables.map((t) => rowFor(t, p));
      points.push({
        patience: p,
        valueLast: describe(rows.map((r) => r?.valueLast ?? null)).mean,
        valueRestored: describe(rows.map((r) => r?.valueRestored ?? null)).mean,
        epochsSaved: describe(rows.map((r) => r?.epochsSaved ?? null)).mean,
      });
    }
    out.set(key, points);
  }
  return out;
}
