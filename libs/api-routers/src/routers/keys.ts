import { z } from 'zod';

import { ZApiKeySummary, ZCreateApiKeyInput, ZCreatedApiKey } from '@hyperzoo/schemas';

import { createTeamApiKey, listTeamApiKeys, revokeTeamApiKey } from '../services/keys';
import { createTRPCRouter, teamProcedure } from '../trpc';

/** A team's API keys, for its admins. */
export const keysRouter = createTRPCRouter({
  create: teamProcedure('admin')
    .input(ZCreateApiKeyInput)
    .output(ZCreatedApiKey)
    .mutation(({ ctx, input }) =>
      createTeamApiKey(ctx.db, { teamId: ctx.team.teamId, userId: ctx.principal.userId, ...input }),
    ),
  list: teamProcedure('admin')
    .output(z.array(ZApiKeySummary))
    .query(({ ctx }) => listTeamApiKeys(ctx.db, ctx.team.teamId)),
  revoke: teamProcedure('admin')
    .input(z.object({ keyId: z.uuid() }))
    .output(ZApiKeySummary)
    .mutation(({ ctx, input }) => revokeTeamApiKey(ctx.db, ctx.team.teamId, input.keyId)),
});
