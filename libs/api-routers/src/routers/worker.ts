import { z } from 'zod';

import { ZEpochMetric, ZRunResult } from '@hyperzoo/schemas';

import { requireWorkerScope } from '../services/access';
import { getTeamAccess } from '../services/access';
import { finishRun, getRunControl, recordArtifact, releaseRun, reportEpochs, startRun } from '../services/ingest';
import { heartbeat, listWorkers, registerWorker } from '../services/workers';
import { createTRPCRouter, protectedProcedure } from '../trpc';

/** Procedures for workers and the SDK: one ingest path, authenticated by a worker token. */
const workerProcedure = protectedProcedure.use(({ ctx, next }) => next({ ctx: { ...ctx, workerTeam: requireWorkerScope(ctx.principal) } }));

const ZDevices = z.array(z.object({ kind: z.enum(['gpu', 'cpu']), name: z.string().max(300), memoryMb: z.number().nullable(), cores: z.number().int().nullable() })).max(64);

export const workerRouter = createTRPCRouter({
  register: workerProcedure
    .input(
      z.object({
        name: z.string().min(1).max(200),
        hostname: z.string().min(1).max(300),
        backend: z.string().max(100),
        devices: ZDevices,
        resourceClass: z.enum(['cpu', 'gpu']),
        capacity: z.number().int().min(1).max(64),
        version: z.string().max(50),
      }),
    )
    .output(z.object({ workerId: z.string() }))
    .mutation(({ ctx, input }) => registerWorker(ctx.db, ctx.workerTeam.teamId, input)),
  heartbeat: workerProcedure
    .input(z.object({ workerId: z.uuid(), currentRuns: z.array(z.uuid()).max(64), stopping: z.boolean().optional() }))
    .output(z.object({ known: z.boolean() }))
    .mutation(({ ctx, input }) => heartbeat(ctx.db, ctx.workerTeam.teamId, input)),
  /** For people: the team's workers with online/offline/stopped derived from heartbeats. */
  list: protectedProcedure.input(z.object({ teamSlug: z.string() })).query(async ({ ctx, input }) => {
    const team = await getTeamAccess(ctx.db, ctx.principal, { slug: input.teamSlug }, 'viewer');
    return listWorkers(ctx.db, team.teamId);
  }),
  startRun: workerProcedure
    .input(z.object({ runId: z.uuid(), workerId: z.uuid().nullable().default(null), backend: z.string().max(100), device: z.string().max(300) }))
    .output(z.object({ attempt: z.number().int(), cancelRequested: z.boolean() }))
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.workerTeam.teamId, input)),
  reportEpochs: workerProcedure
    .input(z.object({ runId: z.uuid(), attempt: z.number().int().min(1), epochs: z.array(ZEpochMetric).min(1).max(1000), backfill: z.boolean().optional() }))
    .output(z.object({ stored: z.number().int(), cancelRequested: z.boolean() }))
    .mutation(({ ctx, input }) => reportEpochs(ctx.db, ctx.workerTeam.teamId, input)),
  finishRun: workerProcedure
    .input(z.object({ runId: z.uuid(), attempt: z.number().int().min(1), result: ZRunResult, dataProvenance: z.unknown().optional() }))
    .mutation(async ({ ctx, input }) => {
      await finishRun(ctx.db, ctx.workerTeam.teamId, input);
      return { ok: true };
    }),
  recordArtifact: workerProcedure
    .input(
      z.object({
        runId: z.uuid(),
        kind: z.enum(['checkpoint', 'best', 'model']),
        epoch: z.number().int().min(1).nullable(),
        // Relative to the artifact store's root: plain names, no way out of it.
        path: z.string().max(500).regex(/^[\w.-]+(\/[\w.-]+)*$/, 'a relative path of plain names').refine((p) => !p.split('/').includes('..'), 'must not contain ..'),
        bytes: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await recordArtifact(ctx.db, ctx.workerTeam.teamId, input);
      return { ok: true };
    }),
  releaseRun: workerProcedure
    .input(z.object({ runId: z.uuid(), reason: z.string().max(2000) }))
    .output(z.object({ released: z.boolean() }))
    .mutation(({ ctx, input }) => releaseRun(ctx.db, ctx.workerTeam.teamId, input)),
  runControl: workerProcedure
    .input(z.object({ runId: z.uuid() }))
    .query(({ ctx, input }) => getRunControl(ctx.db, ctx.workerTeam.teamId, input.runId)),
});
