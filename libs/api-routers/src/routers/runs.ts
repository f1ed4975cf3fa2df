import { z } from 'zod';

import { ZCreateRunInput, ZRunDetail, ZRunSummary, ZSlug } from '@hyperzoo/schemas';

import { getRunAccess, getTeamAccess } from '../services/access';
import { cancelRun, createRun, getRun, listRuns } from '../services/runs';
import { createTRPCRouter, protectedProcedure } from '../trpc';

const ZRunId = z.object({ runId: z.uuid() });

export const runsRouter = createTRPCRouter({
  create: protectedProcedure
    .input(ZCreateRunInput)
    .output(ZRunSummary)
    .mutation(async ({ ctx, input }) => {
      const team = await getTeamAccess(ctx.db, ctx.principal, { slug: input.teamSlug }, 'member');
      return createRun(ctx, { teamId: team.teamId, projectSlug: input.projectSlug, name: input.name, resourceClass: input.resourceClass, config: input.config });
    }),
  list: protectedProcedure
    .input(z.object({ teamSlug: ZSlug, projectSlug: ZSlug.optional(), limit: z.number().int().min(1).max(500).default(100), cursor: z.uuid().optional() }))
    .output(z.object({ runs: z.array(ZRunSummary), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const team = await getTeamAccess(ctx.db, ctx.principal, { slug: input.teamSlug }, 'viewer');
      return listRuns(ctx.db, team.teamId, input);
    }),
  get: protectedProcedure
    .input(ZRunId)
    .output(ZRunDetail)
    .query(async ({ ctx, input }) => {
      await getRunAccess(ctx.db, ctx.principal, input.runId, 'viewer');
      return getRun(ctx.db, input.runId);
    }),
  cancel: protectedProcedure
    .input(ZRunId)
    .output(ZRunSummary)
    .mutation(async ({ ctx, input }) => {
      await getRunAccess(ctx.db, ctx.principal, input.runId, 'member');
      return cancelRun(ctx, input.runId);
    }),
});
