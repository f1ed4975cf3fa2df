import {
  analyzeCurve,
  curveFromRecords,
  summarizeGroups,
  type TAnalysisOptions,
  type TGroupSummary,
  type TRunAnalysis,
} from '@hyperzoo/analysis';
import type { Db } from '@hyperzoo/db';
import { fromEpochRow, ZRunConfig, type TRunStatus, type TSweepMetric } from '@hyperzoo/schemas';
import {
  assignmentOfConfig,
  spaceOfArchitecture,
  trialsOfRuns,
  validateSweep,
  type TAssignment,
  type TImportance,
  type TSearchSpace,
} from '@hyperzoo/sweeps';

import { DomainError } from '../errors';
import { analysisRunSelect } from './analysis';
import { cachedImportance } from './sweeps/importance';

/** What importance is ranked on: the sweep's metric, or an overfitting number. */
export const IMPORTANCE_MEASURES = ['metric', 'lossGapAtBest', 'onsetEpoch'] as const;
type TImportanceMeasure = (typeof IMPORTANCE_MEASURES)[number];

interface TSweepRun {
  run: { id: string; name: string; status: TRunStatus; architecture: string; paramCount: number | null };
  key: string;
  /** The sweep metric's best value over the recorded epochs (its goal's direction). */
  metricValue: number | null;
  analysis: TRunAnalysis;
  assignment: TAssignment | null;
}

interface TSweepImportance {
  measure: TImportanceMeasure;
  /** null: over the whole sweep (the architecture and the shared parameters). */
  architecture: string | null;
  /** Configurations with a value (repeats averaged). */
  trials: number;
  ranking: TImportance[];
}

interface TAnalyzedSweep {
  sweep: { id: string; name: string; metric: TSweepMetric };
  runs: Omit<TSweepRun, 'assignment'>[];
  groups: TGroupSummary[];
  importance: TSweepImportance[];
}

/**
 * The runs' value for a measure. A run that never overfits counts at its recorded length (its onset
 * is at least that), so the runs that overfit late and those that never do rank alike.
 */
const MEASURE_OF: Record<TImportanceMeasure, (r: TSweepRun) => number | null> = {
  metric: (r) => r.metricValue,
  lossGapAtBest: (r) => r.analysis.gapAtBest.loss,
  onsetEpoch: (r) => r.analysis.onsetEpoch ?? (r.analysis.epochsRecorded > 0 ? r.analysis.epochsRecorded : null),
};

function rankImportance(space: TSearchSpace, runs: readonly TSweepRun[]): TSweepImportance[] {
  const scopes: { architecture: string | null; space: TSearchSpace; runs: TSweepRun[] }[] = [
    ...(space.architectures.length > 1 ? [{ architecture: null, space, runs: [...runs] }] : []),
    ...space.architectures.map((a) => ({ architecture: a, space: spaceOfArchitecture(space, a), runs: runs.filter((r) => r.assignment?.architecture === a) })),
  ];
  return scopes.flatMap((scope) =>
    IMPORTANCE_MEASURES.map((measure) => {
      const trials = trialsOfRuns(scope.runs.flatMap((r) => (r.assignment ? [{ assignment: r.assignment, value: MEASURE_OF[measure](r) }] : [])));
      return { measure, architecture: scope.architecture, trials: trials.length, ranking: cachedImportance(scope.space, trials) };
    }),
  );
}

/**
 * A sweep's runs in the given statuses: per architecture the overfitting table (libs/analysis),
 * and fANOVA importance of its parameters on the sweep metric, the loss gap at the best epoch and
 * the onset, over the whole sweep and per architecture. The caller has checked access.
 */
export async function analyzeSweep(db: Db, input: { sweepId: string; statuses: TRunStatus[]; options: TAnalysisOptions }): Promise<TAnalyzedSweep> {
  const sweep = await db.sweep.findUnique({ where: { id: input.sweepId }, select: { id: true, name: true, spec: true } });
  if (!sweep) throw new DomainError('NOT_FOUND', `sweep ${input.sweepId} not found`);
  // The stored spec passed these checks when the sweep was created; the cap does not apply twice.
  const checked = validateSweep(sweep.spec, { gridCap: Number.MAX_SAFE_INTEGER });
  if (!checked.ok) throw new DomainError('PRECONDITION_FAILED', `sweep ${sweep.id} has a spec this version cannot read: ${checked.issues[0]?.path}: ${checked.issues[0]?.message}`);
  const { spec, space } = checked;
  const rows = await db.run.findMany({
    where: { sweepId: sweep.id, status: { in: input.statuses } },
    select: analysisRunSelect,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const mode = spec.metric.goal === 'maximize' ? 'max' : 'min';
  const runs = rows.map((row): TSweepRun => {
    const { epochs, config, ...run } = row;
    const parsed = ZRunConfig.parse(config);
    const curve = curveFromRecords(epochs.map(fromEpochRow));
    return {
      run,
      key: parsed.architecture,
      metricValue: epochs.length ? analyzeCurve(curve, { monitor: spec.metric.name, mode }).bestValue : null,
      analysis: analyzeCurve(curve, input.options),
      assignment: assignmentOfConfig(space, parsed),
    };
  });
  const groups = summarizeGroups(
    runs.map((r) => ({ key: r.key, paramCount: r.run.paramCount, analysis: r.analysis })),
    { restoreBestWeights: input.options.restoreBestWeights },
  );
  return {
    sweep: { id: sweep.id, name: sweep.name, metric: spec.metric },
    runs: runs.map(({ assignment: _, ...r }) => r),
    groups,
    importance: rankImportance(space, runs),
  };
}
