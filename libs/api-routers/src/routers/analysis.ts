import { z } from 'zod';

import { ZAnalysisOptions, ZGroupBy, ZGroupSummary, ZRunAnalysis } from '@hyperzoo/analysis';
import { ZRunStatus, ZSlug } from '@hyperzoo/schemas';

import { getRunAccess, getTeamAccess } from '../services/access';
import { analyzeProject, analyzeRun, analyzeRuns } from '../services/analysis';
import { createTRPCRouter, protectedProcedure } from '../trpc';

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
  run: protectedProcedure
    .input(z.object({ runId: z.uuid(), options: ZOptions }))
    .output(z.object({ run: ZAnalyzedRunInfo, analysis: ZRunAnalysis }))
    .query(async ({ ctx, input }) => {
      await getRunAccess(ctx.db, ctx.principal, input.runId, 'viewer');
      const { run, analysis } = await analyzeRun(ctx.db, input.runId, input.options);
      return { run, analysis };
    }),
  runs: protectedProcedure
    .input(z.object({ teamSlug: ZSlug, runIds: z.array(z.uuid()).min(1).max(500), groupBy: ZGroupBy.default('architecture'), options: ZOptions }))
    .output(ZAnalyzedSet)
    .query(async ({ ctx, input }) => {
      const team = await getTeamAccess(ctx.db, ctx.principal, { slug: input.teamSlug }, 'viewer');
      return analyzeRuns(ctx.db, team.teamId, [...new Set(input.runIds)], input.options, input.groupBy);
    }),
  project: protectedProcedure
    .input(
      z.object({
        teamSlug: ZSlug,
        projectSlug: ZSlug,
        groupBy: ZGroupBy.default('architecture'),
        statuses: z.array(ZRunStatus).min(1).default(['succeeded']),
        options: ZOptions,
      }),
    )
    .output(ZAnalyzedSet)
    .query(async ({ ctx, input }) => {
      const team = await getTeamAccess(ctx.db, ctx.principal, { slug: input.teamSlug }, 'viewer');
      return analyzeProject(ctx.db, team.teamId, input);
    }),
});
