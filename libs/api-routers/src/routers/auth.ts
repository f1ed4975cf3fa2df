import { z } from 'zod';

import { ZInvitationToken, ZSignUpInput } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { login, logout } from '../services/auth';
import { signUp } from '../services/signup';
import { createTRPCRouter, protectedProcedure, publicProcedure } from '../trpc';

export const authRouter = createTRPCRouter({
  login: publicProcedure
    .input(z.object({ email: z.email(), password: z.string().min(1).max(1000) }))
    .output(z.object({ userId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.loginLimiter.attempt(input.email, ctx.clientIp);
      const session = await login(ctx.db, input.email, input.password);
      await ctx.loginLimiter.succeeded(input.email);
      ctx.setSessionCookie(session.token, session.expiresAt);
      return { userId: session.userId };
    }),
  /** A new account, logged in (the operator can turn this off: HZ_SIGN_UP=false; a token from an invitation still works). */
  signUp: publicProcedure
    .input(ZSignUpInput.extend({ invitationToken: ZInvitationToken.optional() }))
    .output(z.object({ userId: z.string(), teamSlug: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (!ctx.policy.signUp && !input.invitationToken) {
        throw new DomainError('FORBIDDEN', 'sign-up is turned off on this server; ask a team admin for an invitation');
      }
      // Counted like logins (per email and per IP), so sign-up cannot be used to probe emails at speed.
      await ctx.loginLimiter.attempt(input.email, ctx.clientIp);
      const created = await signUp(ctx.db, input);
      ctx.setSessionCookie(created.token, created.expiresAt);
      return { userId: created.userId, teamSlug: created.teamSlug };
    }),
  /** What the operator allows that a visitor needs to know before filling a form: whether sign-up is open. */
  policy: publicProcedure.output(z.object({ signUp: z.boolean() })).query(({ ctx }) => ({ signUp: ctx.policy.signUp })),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await logout(ctx.db, ctx.sessionToken);
    ctx.setSessionCookie(null);
    return { ok: true };
  }),
  me: protectedProcedure
    .output(
      z.object({
        kind: z.enum(['user', 'apiKey']),
        user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
        teams: z.array(z.object({ slug: z.string(), name: z.string(), role: z.string() })),
      }),
    )
    .query(async ({ ctx }) => {
      const p = ctx.principal;
      const userId = p.kind === 'user' ? p.userId : p.userId;
      const user = userId ? await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } }) : null;
      if (p.kind === 'apiKey') {
        const team = await ctx.db.team.findUniqueOrThrow({ where: { id: p.teamId }, select: { slug: true, name: true } });
        return { kind: 'apiKey' as const, user, teams: [{ ...team, role: p.scopes.join(',') }] };
      }
      const memberships = await ctx.db.membership.findMany({
        where: { userId: p.userId },
        select: { role: true, team: { select: { slug: true, name: true } } },
        orderBy: { createdAt: 'asc' },
      });
      return { kind: 'user' as const, user, teams: memberships.map((m) => ({ ...m.team, role: m.role })) };
    }),
});
