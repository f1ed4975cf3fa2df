import { z } from 'zod';

import { ZCreatedInvitation, ZCreateInvitationInput, ZInvitation, ZInvitationToken, ZMember, ZRole } from '@hyperzoo/schemas';

import { requireUser } from '../services/access';
import { acceptInvitation, createInvitation, listInvitations, revokeInvitation } from '../services/invitations';
import { leaveTeam, listMembers, removeMember, setMemberRole } from '../services/members';
import { createTRPCRouter, protectedProcedure, teamProcedure } from '../trpc';

export const membersRouter = createTRPCRouter({
  list: teamProcedure('viewer')
    .output(z.array(ZMember))
    .query(({ ctx }) => listMembers(ctx.db, ctx.team.teamId)),
  /** Admins set roles below owner; only an owner makes or unmakes owners; the last owner stays one. */
  setRole: teamProcedure('admin')
    .input(z.object({ userId: z.uuid(), role: ZRole }))
    .output(ZMember)
    .mutation(({ ctx, input }) => setMemberRole(ctx.db, ctx.team, input.userId, input.role)),
  remove: teamProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .output(ZMember)
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.team, input.userId)),
  /** Any member leaves on their own; only changes the caller's own membership. */
  leave: teamProcedure('viewer')
    .output(ZMember)
    .mutation(({ ctx }) => leaveTeam(ctx.db, ctx.team.teamId, requireUser(ctx.principal))),
});

export const invitationsRouter = createTRPCRouter({
  /** The one-time token is in this answer only. */
  create: teamProcedure('admin')
    .input(ZCreateInvitationInput)
    .output(ZCreatedInvitation)
    .mutation(({ ctx, input }) => createInvitation(ctx.db, ctx.team, { ...input, createdById: ctx.principal.userId })),
  list: teamProcedure('admin')
    .output(z.array(ZInvitation))
    .query(({ ctx }) => listInvitations(ctx.db, ctx.team.teamId)),
  revoke: teamProcedure('admin')
    .input(z.object({ invitationId: z.uuid() }))
    .output(ZInvitation)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, ctx.team.teamId, input.invitationId)),
  /** For a logged-in user (or a user's key): joins the team the token invites to. */
  accept: protectedProcedure
    .input(z.object({ token: ZInvitationToken }))
    .output(z.object({ teamSlug: z.string(), role: ZRole }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, requireUser(ctx.principal), input.token)),
});
