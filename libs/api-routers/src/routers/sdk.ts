import { ZReportEpochsOutput, ZRunSummary, ZSdkCreateRunInput, ZSdkFinishRunInput, ZSdkLogEpochsInput } from '@hyperzoo/schemas';

import { createSdkRun, finishSdkRun, logSdkEpochs } from '../services/sdk';
import { createTRPCRouter, runProcedure, teamProcedure } from '../trpc';

/**
 * Runs logged from a user's own tfjs script (`hz.init` in @hyperzoo/client/sdk). A member's
 * runs:write key, not a worker token: a user should not hold a token that can take and
 * report on any of the team's queued jobs, and a worker token will not be a team member. In
 * exchange these procedures only touch runs the SDK created (source sdk), one attempt each;
 * the epochs go through the same idempotent ingest as the worker's.
 */
export const sdkRouter = createTRPCRouter({
  createRun: teamProcedure('member')
    .input(ZSdkCreateRunInput)
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => createSdkRun(ctx.db, { teamId: ctx.team.teamId, runId: input.runId, projectSlug: input.projectSlug, name: input.name, config: input.config })),
  logEpochs: runProcedure('member')
    .input(ZSdkLogEpochsInput)
    .output(ZReportEpochsOutput)
    .mutation(({ ctx, input }) => logSdkEpochs(ctx.db, ctx.team.teamId, input)),
  finishRun: runProcedure('member')
    .input(ZSdkFinishRunInput)
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => finishSdkRun(ctx.db, ctx.team.teamId, input)),
});
