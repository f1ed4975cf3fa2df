import { z } from 'zod';

import { ZApiKeySummary, ZCreateApiKeyInput, ZCreatedApiKey } from '@hyperzoo/schemas';

import { createTeamApiKey, listTeamApiKeys, revokeTeamApiKey } from '../services/keys';
import { createTRPCRouter, ownKeysProcedure } from '../trpc';

/**
 * API keys: every member manages their own (scoped at most to their role), admins all of the
 * team's. Open to viewers on purpose: a viewer may hold a read-only key of their own. A user's key
 * of another team reaches the teams its user joined (`hz join`, then `hz keys create --team`).
 */
export const keysRouter = createTRPCRouter({
  create: ownKeysProcedure('viewer')
    .input(ZCreateApiKeyInput)
    .output(ZCreatedApiKey)
    .mutation(({ ctx, input }) => createTeamApiKey(ctx.db, ctx, input)),
  list: ownKeysProcedure('viewer')
    .output(z.array(ZApiKeySummary))
    .query(({ ctx }) => listTeamApiKeys(ctx.db, ctx)),
  revoke: ownKeysProcedure('viewer')
    .input(z.object({ keyId: z.uuid() }))
    .output(ZApiKeySummary)
    .mutation(({ ctx, input }) => revokeTeamApiKey(ctx.db, ctx, input.keyId)),
});
