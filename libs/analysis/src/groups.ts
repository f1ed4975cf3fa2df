import { isKept, KEEP_FRACTION, keptValue, rowFor } from './keep';
import type { TRunAnalysis } from './run-analysis';
import { describe, type TStat } from './stats';

/** One run of a group: its key (architecture, optimizer, dropout...), size and analysis. */
export interface TGroupRun {
  key: string;
  paramCount: number | null;
  analysis: TRunAnalysis;
}

/** A group's numbers over its runs (seeds and other settings alike). */
export interface TGroupSummary {
  key: string;
  runs: number;
  paramCount: TStat;
  bestValAccuracy: TStat;
  bestEpoch: TStat;
  lossGapAtBest: TStat;
  accuracyGapAtBest: TStat;
  /** count: how many runs overfit at all. */
  onsetEpoch: TStat;
  /**
   * The smallest patience that keeps 99% of the best value in every run of the group (null if
   * none does), and what it saves per run.
   */
  keep99: { patience: number | null; epochsSaved: TStat; secondsSaved: TStat };
}

/** The smallest patience under which every run keeps 99% of its own best value. */
function findGroupKeepPatience(runs: readonly TRunAnalysis[], restoreBestWeights: boolean): number | null {
  // A run's last row never stops: what it restores is the best of the whole recorded run.
  const judged = runs.filter((r) => (r.counterfactual.at(-1)?.valueRestored ?? null) !== null);
  const longest = Math.max(0, ...judged.map((r) => r.counterfactual.length));
  for (let p = 0; p < longest; p++) {
    const keepsAll = judged.every((r) => {
      const reference = r.counterfactual.at(-1)?.valueRestored ?? null;
      const row = rowFor(r.counterfactual, p);
      return reference !== null && row !== undefined && isKept(keptValue(row, restoreBestWeights), reference, r.direction, KEEP_FRACTION);
    });
    if (keepsAll) return p;
  }
  return null;
}

/**
 * Per group: best val accuracy, best epoch, the gap at the best epoch and the onset, each as mean,
 * sample standard deviation and count over the group's runs, with the parameter count; groups
 * ordered by mean parameter count (then key), so the numbers read "against model size".
 */
export function summarizeGroups(runs: readonly TGroupRun[], options: { restoreBestWeights?: boolean } = {}): TGroupSummary[] {
  const byKey = new Map<string, TGroupRun[]>();
  for (const run of runs) byKey.set(run.key, [...(byKey.get(run.key) ?? []), run]);
  const groups = [...byKey.entries()].map(([key, members]): TGroupSummary => {
    const analyses = members.map((m) => m.analysis);
    const patience = findGroupKeepPatience(analyses, options.restoreBestWeights ?? false);
    const rows = patience === null ? [] : analyses.map((a) => rowFor(a.counterfactual, patience));
    return {
      key,
      runs: members.length,
      paramCount: describe(members.map((m) => m.paramCount)),
      bestValAccuracy: describe(analyses.map((a) => a.bestValAccuracy)),
      bestEpoch: describe(analyses.map((a) => a.bestEpoch)),
      lossGapAtBest: describe(analyses.map((a) => a.gapAtBest.loss)),
      accuracyGapAtBest: describe(analyses.map((a) => a.gapAtBest.accuracy)),
      onsetEpoch: describe(analyses.map((a) => a.onsetEpoch)),
      keep99: {
        patience,
        epochsSaved: describe(rows.map((r) => r?.epochsSaved ?? null)),
        secondsSaved: describe(rows.map((r) => r?.secondsSaved ?? null)),
      },
    };
  });
  return groups.sort((a, b) => (a.paramCount.mean ?? Infinity) - (b.paramCount.mean ?? Infinity) || a.key.localeCompare(b.key));
}
