import {
  analyzeCurve,
  curveFromRecords,
  findGroupKey,
  summarizeGroups,
  type TAnalysisOptions,
  type TGroupBy,
  type TGroupSummary,
  type TRunAnalysis,
} from '@hyperzoo/analysis';
import type { Db, Prisma } from '@hyperzoo/db';
import { fromEpochRow, ZRunConfig, type TRunStatus } from '@hyperzoo/schemas';

import { DomainError } from '../errors';

/** The most runs one project analysis reads (newest first). */
const PROJECT_ANALYSIS_MAX_RUNS = 1000;

const epochSelect = {
  epoch: true,
  phase: true,
  loss: true,
  accuracy: true,
  valLoss: true,
  valAccuracy: true,
  lr: true,
  durationMs: true,
  imagesPerSec: true,
} satisfies Prisma.EpochMetricSelect;

export const analysisRunSelect = {
  id: true,
  name: true,
  status: true,
  architecture: true,
  paramCount: true,
  config: true,
  // The first phase only: a transfer run's fine-tuning restarts early stopping (a new curve).
  epochs: { where: { phase: 'train' }, orderBy: { epoch: 'asc' }, select: epochSelect },
} satisfies Prisma.RunSelect;

type TAnalysisRunRow = Prisma.RunGetPayload<{ select: typeof analysisRunSelect }>;

export interface TAnalyzedRun {
  run: { id: string; name: string; status: TRunStatus; architecture: string; paramCount: number | null };
  key: string;
  analysis: TRunAnalysis;
}

function analyzeRow(row: TAnalysisRunRow, options: TAnalysisOptions, groupBy: TGroupBy): TAnalyzedRun {
  const { epochs, config, ...run } = row;
  const curve = curveFromRecords(epochs.map(fromEpochRow));
  return { run, key: findGroupKey(ZRunConfig.parse(config), groupBy), analysis: analyzeCurve(curve, options) };
}

/** One run's analysis with its gaps and counterfactual table. The caller has checked access. */
export async function analyzeRun(db: Db, runId: string, options: TAnalysisOptions): Promise<TAnalyzedRun> {
  const row = await db.run.findUnique({ where: { id: runId }, select: analysisRunSelect });
  if (!row) throw new DomainError('NOT_FOUND', `run ${runId} not found`);
  return analyzeRow(row, options, 'architecture');
}

export interface TAnalyzedSet {
  runs: TAnalyzedRun[];
  groups: TGroupSummary[];
}

function analyzeSet(rows: TAnalysisRunRow[], options: TAnalysisOptions, groupBy: TGroupBy): TAnalyzedSet {
  const runs = rows.map((row) => analyzeRow(row, options, groupBy));
  const groups = summarizeGroups(
    runs.map((r) => ({ key: r.key, paramCount: r.run.paramCount, analysis: r.analysis })),
    { restoreBestWeights: options.restoreBestWeights },
  );
  return { runs, groups };
}

/** Runs of a team by id, grouped; an id of another team answers "not found" like a missing one. */
export async function analyzeRuns(db: Db, teamId: string, runIds: string[], options: TAnalysisOptions, groupBy: TGroupBy): Promise<TAnalyzedSet> {
  const rows = await db.run.findMany({ where: { id: { in: runIds }, project: { teamId } }, select: analysisRunSelect });
  const found = new Set(rows.map((r) => r.id));
  const missing = runIds.find((id) => !found.has(id));
  if (missing) throw new DomainError('NOT_FOUND', `run ${missing} not found`);
  const order = new Map(runIds.map((id, i) => [id, i]));
  return analyzeSet(rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)), options, groupBy);
}

/**
 * A project's runs in the given statuses, or with no project every project's of the team (as the
 * dashboard's "All projects"): newest first, at most PROJECT_ANALYSIS_MAX_RUNS, grouped.
 */
export async function analyzeProject(
  db: Db,
  teamId: string,
  input: { projectSlug?: string; statuses: TRunStatus[]; groupBy: TGroupBy; options: TAnalysisOptions },
): Promise<TAnalyzedSet> {
  let where: Prisma.RunWhereInput = { project: { teamId } };
  if (input.projectSlug !== undefined) {
    const project = await db.project.findUnique({ where: { teamId_slug: { teamId, slug: input.projectSlug } }, select: { id: true } });
    if (!project) throw new DomainError('NOT_FOUND', `project "${input.projectSlug}" not found`);
    where = { projectId: project.id };
  }
  const rows = await db.run.findMany({
    where: { ...where, status: { in: input.statuses } },
    select: analysisRunSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: PROJECT_ANALYSIS_MAX_RUNS,
  });
  return analyzeSet(rows, input.options, input.groupBy);
}
