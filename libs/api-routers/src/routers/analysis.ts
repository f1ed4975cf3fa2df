import { z } from 'zod';

import { ZAnalysisOptions, ZGroupBy, ZGroupSummary, ZRunAnalysis } from '@hyperzoo/analysis';
import { ZRunStatus, ZSlug } from '@hyperzoo/schemas';

import { analyzeProject, analyzeRun, analyzeRuns } from '../services/analysis';
import { createTRPCRouter, runProcedure, teamProcedure } from '../trpc';

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
        projectSlug: ZSlug,
        groupBy: ZGroupBy.default('architecture'),
        statuses: z.array(ZRunStatus).min(1).default(['succeeded']),
        options: ZOptions,
      }),
    )
    .output(ZAnalyzedSet)
    .query(({ ctx, input }) => analyzeProject(ctx.db, ctx.team.teamId, input)),
});
