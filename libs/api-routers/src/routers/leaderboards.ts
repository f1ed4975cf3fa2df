import { ZLeaderboard, ZLeaderboardInput, ZRunSummary } from '@hyperzoo/schemas';

import { getLeaderboard, setRunPinned } from '../services/leaderboards';
import { createTRPCRouter, runProcedure, teamProcedure } from '../trpc';

export const leaderboardsRouter = createTRPCRouter({
  /** Best runs of a team on a dataset, by test accuracy (validation at the best epoch where no test result), pins first. */
  get: teamProcedure('viewer')
    .input(ZLeaderboardInput)
    .output(ZLeaderboard)
    .query(({ ctx, input }) => getLeaderboard(ctx.db, ctx.team.teamId, input)),
  pin: runProcedure('member')
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => setRunPinned(ctx.db, input.runId, true)),
  unpin: runProcedure('member')
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => setRunPinned(ctx.db, input.runId, false)),
});
