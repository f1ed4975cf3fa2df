import { z } from 'zod';

import { ZEpochMetric, ZRunResult } from '@hyperzoo/schemas';

import { requireWorkerScope } from '../services/access';
import { finishRun, getRunControl, reportEpochs, startRun } from '../services/ingest';
import { createTRPCRouter, protectedProcedure } from '../trpc';

/** Procedures for workers and the SDK: one ingest path, authenticated by a worker token. */
const workerProcedure = protectedProcedure.use(({ ctx, next }) => next({ ctx: { ...ctx, workerTeam: requireWorkerScope(ctx.principal) } }));

export const workerRouter = createTRPCRouter({
  startRun: workerProcedure
    .input(z.object({ runId: z.uuid(), workerId: z.uuid().nullable().default(null), backend: z.string().max(100), device: z.string().max(300) }))
    .output(z.object({ attempt: z.number().int(), cancelRequested: z.boolean() }))
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.workerTeam.teamId, input)),
  reportEpochs: workerProcedure
    .input(z.object({ runId: z.uuid(), attempt: z.number().int().min(1), epochs: z.array(ZEpochMetric).min(1).max(1000) }))
    .output(z.object({ stored: z.number().int(), cancelRequested: z.boolean() }))
    .mutation(({ ctx, input }) => reportEpochs(ctx.db, ctx.workerTeam.teamId, input)),
  finishRun: workerProcedure
    .input(z.object({ runId: z.uuid(), attempt: z.number().int().min(1), result: ZRunResult, dataProvenance: z.unknown().optional() }))
    .mutation(async ({ ctx, input }) => {
      await finishRun(ctx.db, ctx.workerTeam.teamId, input);
      return { ok: true };
    }),
  runControl: workerProcedure
    .input(z.object({ runId: z.uuid() }))
    .query(({ ctx, input }) => getRunControl(ctx.db, ctx.workerTeam.teamId, input.runId)),
});
