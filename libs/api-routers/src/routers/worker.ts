import { z } from 'zod';

import {
  ZFinishRunInput,
  ZHeartbeatInput,
  ZRegisterWorkerInput,
  ZReleaseRunInput,
  ZReportEpochsInput,
  ZRunControl,
  ZStartRunInput,
  ZStartRunOutput,
  ZWorkerReportEpochsOutput,
} from '@hyperzoo/schemas';

import { finishRun, getRunControl, releaseRun, reportWorkerEpochs, startRun } from '../services/ingest';
import { advanceSweep } from '../services/sweeps/scheduler';
import { heartbeat, listWorkers, registerWorker } from '../services/workers';
import { createTRPCRouter, teamProcedure, workerProcedure } from '../trpc';

/** Procedures for workers and the SDK: one ingest path, authenticated by a worker token. Shapes: libs/schemas worker-protocol.ts. */
export const workerRouter = createTRPCRouter({
  register: workerProcedure
    .input(ZRegisterWorkerInput)
    .output(z.object({ workerId: z.string(), teamId: z.string() }))
    .mutation(({ ctx, input }) => registerWorker(ctx.db, ctx.workerScope.teamId, input)),
  heartbeat: workerProcedure
    .input(ZHeartbeatInput)
    .output(z.object({ known: z.boolean() }))
    .mutation(({ ctx, input }) => heartbeat(ctx.db, ctx.workerScope.teamId, input)),
  /** For people: the team's workers with online/offline/stopped derived from heartbeats. */
  list: teamProcedure('viewer').query(({ ctx }) => listWorkers(ctx.db, ctx.team.teamId)),
  startRun: workerProcedure
    .input(ZStartRunInput)
    .output(ZStartRunOutput)
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.workerScope, input)),
  reportEpochs: workerProcedure
    .input(ZReportEpochsInput)
    .output(ZWorkerReportEpochsOutput)
    .mutation(({ ctx, input }) => reportWorkerEpochs(ctx.db, ctx.workerScope, input)),
  finishRun: workerProcedure.input(ZFinishRunInput).mutation(async ({ ctx, input }) => {
    const { sweepId } = await finishRun(ctx.db, ctx.workerScope, input);
    // The run's slot is free: the sweep starts its next run (or ends). The run's own end is stored either way.
    if (sweepId) await advanceSweep(ctx, sweepId).catch((err: unknown) => console.warn(`sweep ${sweepId}: advance failed, the reconciler retries: ${(err as Error).message}`));
    return { ok: true };
  }),
  releaseRun: workerProcedure
    .input(ZReleaseRunInput)
    .output(z.object({ released: z.boolean() }))
    .mutation(({ ctx, input }) => releaseRun(ctx.db, ctx.workerScope, input)),
  runControl: workerProcedure
    .input(z.object({ runId: z.uuid() }))
    .output(ZRunControl)
    .query(({ ctx, input }) => getRunControl(ctx.db, ctx.workerScope, input.runId)),
});
