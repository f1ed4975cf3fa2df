import { z } from 'zod';

import { ZCreateRunInput, ZListRunsInput, ZPredictInput, ZPredictOutput, ZRunAttempt, ZRunDetail, ZRunSummary, ZUpdateRunInput } from '@hyperzoo/schemas';

import { ZCompareRunsInput, ZCompareRunsOutput } from './compare.schema';
import { listAttempts } from '../services/attempt-history';
import { compareRuns } from '../services/compare';
import { predictRun } from '../services/predict';
import { listRuns } from '../services/run-list';
import { cancelRun, createRun, getRun, setRunDeleted, updateRun } from '../services/runs';
import { createTRPCRouter, runProcedure, teamProcedure } from '../trpc';

export const runsRouter = createTRPCRouter({
  create: teamProcedure('member')
    .input(ZCreateRunInput)
    .output(ZRunSummary)
    .mutation(({ ctx, input }) =>
      createRun(ctx, { teamId: ctx.team.teamId, projectSlug: input.projectSlug, name: input.name, resourceClass: input.resourceClass, config: input.config, idempotencyKey: input.idempotencyKey }),
    ),
  /** Filtered, sorted by a summary metric or creation time, a keyset page at a time. */
  list: teamProcedure('viewer')
    .input(ZListRunsInput)
    .output(z.object({ runs: z.array(ZRunSummary), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.team.teamId, input)),
  get: runProcedure('viewer')
    .output(ZRunDetail)
    .query(({ ctx, input }) => getRun(ctx.db, input.runId)),
  /** Each start of the run on a worker: which worker, backend and device, when, and how it ended. */
  attempts: runProcedure('viewer')
    .output(z.array(ZRunAttempt))
    .query(({ ctx, input }) => listAttempts(ctx.db, input.runId)),
  /** Many runs' curves at once, downsampled past a point budget, with the config diff. */
  compare: teamProcedure('viewer')
    .input(ZCompareRunsInput)
    .output(ZCompareRunsOutput)
    .query(({ ctx, input }) => compareRuns(ctx.db, ctx.team.teamId, input)),
  /**
   * Top-K classes of one image with the run's trained model, answered by a worker of the team.
   * A mutation (POST: an image does not fit in a URL) for members: it spends a worker's time, like a run.
   */
  predict: runProcedure('member')
    .input(ZPredictInput)
    .output(ZPredictOutput)
    .mutation(({ ctx, input }) => predictRun(ctx, { runId: input.runId, teamId: ctx.team.teamId, image: input.image, topK: input.topK })),
  cancel: runProcedure('member')
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => cancelRun(ctx, input.runId)),
  update: runProcedure('member')
    .input(ZUpdateRunInput)
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => updateRun(ctx.db, input.runId, input)),
  delete: runProcedure('member')
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => setRunDeleted(ctx, input.runId, true)),
  restore: runProcedure('member')
    .output(ZRunSummary)
    .mutation(({ ctx, input }) => setRunDeleted(ctx, input.runId, false)),
});
