import { z } from 'zod';

import { ZCreateTeamInput, ZRenameInput, ZSetPlatformPoolInput, ZSetPlatformPoolResult, ZTeamDetail, ZTeamSummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { requireUser } from '../services/access';
import { setPlatformPool } from '../services/platform-pool';
import { createTeam, getTeam, listMyTeams, renameTeam } from '../services/teams';
import { createTRPCRouter, protectedProcedure, teamProcedure } from '../trpc';

export const teamsRouter = createTRPCRouter({
  /** The caller's teams with their role there; an API key sees its own team. */
  list: protectedProcedure.output(z.array(ZTeamSummary)).query(({ ctx }) => listMyTeams(ctx.db, ctx.principal)),
  /** A new team owned by the caller (a session, or a user's key with the admin scope). */
  create: protectedProcedure
    .input(ZCreateTeamInput)
    .output(ZTeamSummary)
    .mutation(async ({ ctx, input }) => {
      const userId = requireUser(ctx.principal);
      if (ctx.principal.kind === 'apiKey' && !ctx.principal.scopes.includes('admin')) {
        throw new DomainError('FORBIDDEN', 'creating a team with an API key needs the admin scope');
      }
      const { id: _id, ...team } = await createTeam(ctx.db, userId, input);
      return team;
    }),
  get: teamProcedure('viewer')
    .output(ZTeamDetail)
    .query(({ ctx }) => getTeam(ctx.db, ctx.team.teamId, ctx.team.role, ctx.policy.platformPoolTeamId)),
  rename: teamProcedure('admin')
    .input(ZRenameInput)
    .output(ZTeamSummary)
    .mutation(({ ctx, input }) => renameTeam(ctx.db, ctx.team.teamId, input.name, ctx.team.role)),
  /** Opts the team in or out of the platform pool; its waiting runs move with it. */
  setPlatformPool: teamProcedure('admin')
    .input(ZSetPlatformPoolInput)
    .output(ZSetPlatformPoolResult)
    .mutation(({ ctx, input }) => setPlatformPool(ctx, ctx.team.teamId, input.enabled)),
});
