import { z } from 'zod';

import { ZAnalysisOptions, ZGroupBy, ZGroupSummary, ZRunAnalysis } from '@hyperzoo/analysis';
import { ZRunStatus, ZSlug, ZSweepMetric } from '@hyperzoo/schemas';

import { analyzeProject, analyzeRun, analyzeRuns } from '../services/analysis';
import { analyzeSweep, IMPORTANCE_MEASURES } from '../services/sweep-analysis';
import { createTRPCRouter, runProcedure, sweepProcedure, teamProcedure } from '../trpc';

const ZAnalyzedRunInfo = z.object({
  id: z.string(),
  name: z.string(),
  status: ZRunStatus,
  architecture: z.string(),
  paramCount: z.number().int().nullable(),
});
/** In a set, each run without its per-epoch gaps and counterfactual table (ask analysis.run for those). */
const ZAnalyzedSet = z.object({
  runs: z.array(z.object({ run: ZAnalyzedRunInfo, key: z.string(), analysis: ZRunAnalysis.omit({ gaps: true, counterfactual: true }) })),
  groups: z.array(ZGroupSummary),
});
const ZOptions = ZAnalysisOptions.prefault({});
const ZImportance = z.object({ key: z.string(), importance: z.number(), fraction: z.number(), std: z.number() });
const ZAnalyzedSweep = z.object({
  sweep: z.object({ id: z.string(), name: z.string(), metric: ZSweepMetric }),
  runs: z.array(ZAnalyzedSet.shape.runs.element.extend({ metricValue: z.number().nullable() })),
  groups: z.array(ZGroupSummary),
  importance: z.array(
    z.object({ measure: z.enum(IMPORTANCE_MEASURES), architecture: z.string().nullable(), trials: z.number().int().min(0), ranking: z.array(ZImportance) }),
  ),
});

export const analysisRouter = createTRPCRouter({
  run: runProcedure('viewer')
    .input(z.object({ options: ZOptions }))
    .output(z.object({ run: ZAnalyzedRunInfo, analysis: ZRunAnalysis }))
    .query(async ({ ctx, input }) => {
      const { run, analysis } = await analyzeRun(ctx.db, input.runId, input.options);
      return { run, analysis };
    }),
  runs: teamProcedure('viewer')
    .input(z.object({ runIds: z.array(z.uuid()).min(1).max(500), groupBy: ZGroupBy.default('architecture'), options: ZOptions }))
    .output(ZAnalyzedSet)
    .query(({ ctx, input }) => analyzeRuns(ctx.db, ctx.team.teamId, [...new Set(input.runIds)], input.options, input.groupBy)),
  project: teamProcedure('viewer')
    .input(
      z.object({
        /** None: every project of the team. */
        projectSlug: ZSlug.optional(),
        groupBy: ZGroupBy.default('architecture'),
        statuses: z.array(ZRunStatus).min(1).default(['succeeded']),
        options: ZOptions,
      }),
    )
    .output(ZAnalyzedSet)
    .query(({ ctx, input }) => analyzeProject(ctx.db, ctx.team.teamId, input)),
  /** Per architecture, and parameter importance on the sweep metric and on overfitting (gap at best, onset). */
  sweep: sweepProcedure('viewer')
    .input(z.object({ statuses: z.array(ZRunStatus).min(1).default(['succeeded']), options: ZOptions }))
    .output(ZAnalyzedSweep)
    .query(({ ctx, input }) => analyzeSweep(ctx.db, input)),
});
