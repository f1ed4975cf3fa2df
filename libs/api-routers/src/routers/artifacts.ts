import { z } from 'zod';

import { ZArtifactSummary } from '@hyperzoo/schemas';

import { listArtifacts } from '../services/artifacts';
import { createTRPCRouter, runProcedure } from '../trpc';

/** Bytes move over the plain HTTP route (`/artifacts/<runId>/<kind>`, apps/api); this lists them. */
export const artifactsRouter = createTRPCRouter({
  list: runProcedure('viewer')
    .output(z.array(ZArtifactSummary))
    .query(({ ctx, input }) => listArtifacts(ctx.db, input.runId)),
});
