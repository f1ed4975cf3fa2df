import { ZLiveInput } from '@hyperzoo/schemas';

import { streamRun, streamRunChanges } from '../services/live';
import { createTRPCRouter, runProcedure, sweepProcedure, teamProcedure } from '../trpc';

/** Subscriptions over SSE; the access check runs once, when the client subscribes. */
export const liveRouter = createTRPCRouter({
  /** A run's epochs and status changes. */
  run: runProcedure('viewer')
    .input(ZLiveInput)
    .subscription(({ ctx, input, signal }) => streamRun(ctx, input.runId, input.lastEventId, signal)),
  /** Status changes and progress of a team's runs (the run list). */
  runs: teamProcedure('viewer')
    .input(ZLiveInput)
    .subscription(({ ctx, input, signal }) => streamRunChanges(ctx, { teamId: ctx.team.teamId }, input.lastEventId, signal)),
  /** Status changes and progress of a sweep's runs. */
  sweep: sweepProcedure('viewer')
    .input(ZLiveInput)
    .subscription(({ ctx, input, signal }) => streamRunChanges(ctx, { sweepId: input.sweepId }, input.lastEventId, signal)),
});
