import {
  ZAddSweepRunsInput,
  ZCreateSweepInput,
  ZCreateSweepOutput,
  ZListSweepsInput,
  ZPreviewSweepInput,
  ZSweepControlOutput,
  ZSweepDetail,
  ZSweepListItem,
  ZSweepPreviewOutput,
  ZSweepSummary,
} from '@hyperzoo/schemas';
import { z } from 'zod';

import { addSweepRuns, cancelSweep, pauseSweep, rerunFailedRuns, resumeSweep } from '../services/sweeps/control';
import { createSweep, previewSweepFor } from '../services/sweeps/create';
import { getSweep, getSweepSummary, listSweeps } from '../services/sweeps/read';
import { createTRPCRouter, sweepProcedure, teamProcedure } from '../trpc';

/**
 * Sweeps: one spec, one call (docs/SWEEPS.md). create refuses a spec's issues with BAD_REQUEST and
 * data.issues; preview answers them as data ({ ok: false, issues }); paths are relative to the spec.
 */
export const sweepsRouter = createTRPCRouter({
  preview: teamProcedure('member')
    .input(ZPreviewSweepInput)
    .output(ZSweepPreviewOutput)
    .query(({ ctx, input }) => previewSweepFor(ctx.db, ctx.team.teamId, input)),
  create: teamProcedure('member')
    .input(ZCreateSweepInput)
    .output(ZCreateSweepOutput)
    .mutation(({ ctx, input }) => createSweep(ctx, { ...input, teamId: ctx.team.teamId })),
  list: teamProcedure('viewer')
    .input(ZListSweepsInput)
    .output(z.object({ items: z.array(ZSweepListItem), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listSweeps(ctx.db, ctx.team.teamId, input)),
  get: sweepProcedure('viewer')
    .output(ZSweepDetail)
    .query(({ ctx, input }) => getSweep(ctx.db, input.sweepId)),
  summary: sweepProcedure('viewer')
    .output(ZSweepSummary)
    .query(({ ctx, input }) => getSweepSummary(ctx.db, input.sweepId)),
  pause: sweepProcedure('member')
    .output(ZSweepControlOutput)
    .mutation(({ ctx, input }) => pauseSweep(ctx, input.sweepId)),
  resume: sweepProcedure('member')
    .output(ZSweepControlOutput)
    .mutation(({ ctx, input }) => resumeSweep(ctx, input.sweepId)),
  cancel: sweepProcedure('member')
    .output(ZSweepControlOutput)
    .mutation(({ ctx, input }) => cancelSweep(ctx, input.sweepId)),
  rerunFailed: sweepProcedure('member')
    .output(ZSweepControlOutput)
    .mutation(({ ctx, input }) => rerunFailedRuns(ctx, input.sweepId)),
  addRuns: sweepProcedure('member')
    .input(ZAddSweepRunsInput)
    .output(ZSweepControlOutput)
    .mutation(({ ctx, input }) => addSweepRuns(ctx, input.sweepId, input.runs)),
});
