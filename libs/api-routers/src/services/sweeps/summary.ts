import { RUN_STATUSES } from '@hyperzoo/schemas';
import type { TRunStatus, TSweepCounts, TSweepSummary } from '@hyperzoo/schemas';
import { marginalEffects } from '@hyperzoo/sweeps';
import type { TJson, TScoredTrial } from '@hyperzoo/sweeps';

import { cachedImportance } from './importance';
import { trialsOf } from './plan';
import type { TStoredTrialRun, TSweepPlan } from './plan';

/** How many best runs a summary lists. */
const BEST_RUNS = 10;

export interface TSummaryRun extends TStoredTrialRun {
  id: string;
  bestEpoch: number | null;
}

export function countByStatus(statuses: readonly TRunStatus[]): TSweepCounts {
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as TSweepCounts;
  for (const s of statuses) counts[s] += 1;
  return counts;
}

/** Best run by the sweep metric (at each run's best epoch), or null while no run has a value. */
export function bestOf(plan: TSweepPlan, runs: readonly TSummaryRun[]): TSummaryRun | null {
  return rank(plan, runs)[0] ?? null;
}

/** Runs that count: succeeded, or still training (the live best); not those that failed, were cut or cancelled. */
function rank(plan: TSweepPlan, runs: readonly TSummaryRun[]): TSummaryRun[] {
  const sign = plan.spec.metric.goal === 'maximize' ? -1 : 1;
  return runs.filter((r) => r.best !== null && (r.status === 'succeeded' || r.status === 'running')).sort((a, b) => sign * ((a.best as number) - (b.best as number)));
}

/** Counts, best runs, per-parameter marginal effects and fANOVA importance over the finished trials. */
export function summarize(plan: TSweepPlan, runs: readonly TSummaryRun[]): TSweepSummary {
  const scored: TScoredTrial[] = trialsOf(plan.space, runs).flatMap((t) =>
    t.state === 'complete' && t.value !== null && Number.isFinite(t.value) ? [{ assignment: t.assignment, value: t.value }] : [],
  );
  return {
    counts: countByStatus(runs.map((r) => r.status as TRunStatus)),
    bestRuns: rank(plan, runs)
      .slice(0, BEST_RUNS)
      .map((r) => ({ runId: r.id, architecture: r.architecture, params: (r.params ?? {}) as Record<string, TJson>, value: r.best as number, epoch: r.bestEpoch })),
    marginals: scored.length > 0 ? marginalEffects(plan.space, scored, plan.spec.metric.goal) : [],
    importance: scored.length >= 2 ? cachedImportance(plan.space, scored, { seed: plan.spec.seed }) : [],
  };
}
