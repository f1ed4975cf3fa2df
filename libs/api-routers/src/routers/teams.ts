import { z } from 'zod';

import { ZCreateTeamInput, ZRenameInput, ZTeamDetail, ZTeamSummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { requireUser } from '../services/access';
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
    .query(({ ctx }) => getTeam(ctx.db, ctx.team.teamId, ctx.team.role)),
  rename: teamProcedure('admin')
    .input(ZRenameInput)
    .output(ZTeamSummary)
    .mutation(({ ctx, input }) => renameTeam(ctx.db, ctx.team.teamId, input.name, ctx.team.role)),
});
