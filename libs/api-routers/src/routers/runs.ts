import { z } from 'zod';

import { ZCreateRunInput, ZRunDetail, ZRunSummary, ZSlug } from '@hyperzoo/schemas';

import { ZCompareRunsInput, ZCompareRunsOutput } from './compare.schema';
import { compareRuns } from '../services/compare';
import { cancelRun, createRun, getRun, listRuns } from '../services/runs';
import { createTRPCRouter, runProcedure, teamProcedure } from '../trpc';

export const runsRouter = createTRPCRouter({
  create: teamProcedure('member')
    .input(ZCreateRunInput)
    .output(ZRunSummary)
    .mutation(({ ctx, input }) =>
      createRun(ctx, { teamId: ctx.team.teamId, projectSlug: input.projectSlug, name: input.name, resourceClass: input.resourceClass, config: input.config, idempotencyKey: input.idempotencyKey }),
    ),
  list: teamProcedure('viewer')
    .input(z.object({ projectSlug: ZSlug.optional(), limit: z.number().int().min(1).max(500).default(100), cursor: z.uuid().optional() }))
    .output(z.object({ runs: z.array(ZRunSummary), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.team.teamId, input)),
  get: runProcedure('viewer')
    .output(ZRunDetail)
    .query(({ ctx, input }) => getRun(ctx.db, input.runId)),
  /** Many runs' curves at once, downsampled past a point budget, with the config diff. */
  compare: teamProcedure('viewer')
    .input(ZCompareRunsInput)
    .output(ZCompareRunsOutput)
    .query(({ ctx, input }) => compareRuns(ctx.db, ctx.team.teamId, input)),
  cancel: runProcedure('member')
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => cancelRun(ctx, input.runId)),
});
