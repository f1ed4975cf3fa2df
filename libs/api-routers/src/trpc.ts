import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';

import type { DbClient } from '@hyperzoo/db';
import type { PredictQueues, TrainQueues } from '@hyperzoo/queue';
import { toIssues, ZSlug } from '@hyperzoo/schemas';

import { DomainError } from './errors';
import { getOwnKeysAccess, getRunAccess, getSweepAccess, getTeamAccess, requireWorkerScope } from './services/access';
import type { TRole } from './services/access';
import type { TPrincipal } from './services/auth';
import type { LiveHub } from './services/live-hub';
import type { LoginLimiter } from './services/login-limit';
import type { TPolicy } from './services/policy';

export interface Context {
  db: DbClient;
  queues: TrainQueues;
  /** Predictions go to a worker of the run's team, answered within predictTimeoutMs. */
  predictions: PredictQueues;
  predictTimeoutMs: number;
  /** Live events of runs, fanned out from the API's one Redis subscriber. */
  live: LiveHub;
  loginLimiter: LoginLimiter;
  /** What the operator allows: sign-up, transfer model URLs. */
  policy: TPolicy;
  /** The client's address (the socket's), for login throttling. */
  clientIp: string | null;
  principal: TPrincipal | null;
  /** The id the API puts on the answer and its log lines; an internal error names it instead of its details. */
  requestId: string | null;
  /** The raw session token from the cookie, for logout. */
  sessionToken: string | null;
  setSessionCookie(token: string | null, expiresAt?: Date): void;
}

/** Who may call a procedure. Set by the procedure builders below; the router test reads it. */
export interface TMeta {
  access: 'public' | 'protected' | 'worker' | 'team' | 'run' | 'sweep';
  minRole?: TRole;
}

const t = initTRPC.context<Context>().meta<TMeta>().create({
  transformer: superjson,
  // Never send server stack traces to clients; the API logs them (onError).
  isDev: false,
  // Subscriptions (SSE): a ping comment keeps proxies from closing a quiet stream, and a client
  // that hears nothing, not even pings, reconnects (with its last event id).
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    // Internal errors keep their details in the log (onError); the caller gets the request id only.
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? `internal error; request id ${ctx?.requestId ?? 'unknown'}` : shape.message,
      data: {
        ...shape.data,
        requestId: ctx?.requestId ?? null,
        // Zod issues with their paths, so a client can say exactly which field is wrong.
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        issues: cause instanceof ZodError ? toIssues(cause) : cause instanceof DomainError ? (cause.issues ?? null) : null,
      },
    };
  },
});

const DOMAIN_TO_TRPC = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  BAD_REQUEST: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
} as const;

/** Services throw DomainError; turn it into the matching tRPC error. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const e = result.error.cause;
    throw new TRPCError({ code: DOMAIN_TO_TRPC[e.code], message: e.message, cause: e });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Anyone, logged in or not: only login and logout (an explicit list in the router test). */
export const publicProcedure = t.procedure.use(domainErrors).meta({ access: 'public' });

/** Any logged-in caller, whatever their teams: only auth.me. */
export const protectedProcedure = publicProcedure.meta({ access: 'protected' }).use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'log in or send an API key (Authorization: Bearer hz_...)' });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/**
 * A procedure on one team's data: its input has `teamSlug`, and the caller's role there is
 * resolved once, before the procedure's own input is parsed. Another team answers NOT_FOUND
 * like a missing one; a role below `minRole` answers FORBIDDEN.
 */
export function teamProcedure(minRole: TRole) {
  return protectedProcedure
    .meta({ access: 'team', minRole })
    .input(z.object({ teamSlug: ZSlug }))
    .use(async ({ ctx, input, next }) => next({ ctx: { team: await getTeamAccess(ctx.db, ctx.principal, { slug: input.teamSlug }, minRole) } }));
}

/** A team's API keys: as teamProcedure, and a user's key of another team reaches its user's own keys here (getOwnKeysAccess). */
export function ownKeysProcedure(minRole: TRole) {
  return protectedProcedure
    .meta({ access: 'team', minRole })
    .input(z.object({ teamSlug: ZSlug }))
    .use(async ({ ctx, input, next }) => next({ ctx: { team: await getOwnKeysAccess(ctx.db, ctx.principal, input.teamSlug, minRole) } }));
}

/** A procedure on one run: its input has `runId`; access as teamProcedure, to the run's team. */
export function runProcedure(minRole: TRole) {
  return protectedProcedure
    .meta({ access: 'run', minRole })
    .input(z.object({ runId: z.uuid() }))
    .use(async ({ ctx, input, next }) => next({ ctx: { team: await getRunAccess(ctx.db, ctx.principal, input.runId, minRole) } }));
}

/** A procedure on one sweep: its input has `sweepId`; access as teamProcedure, to the sweep's team. */
export function sweepProcedure(minRole: TRole) {
  return protectedProcedure
    .meta({ access: 'sweep', minRole })
    .input(z.object({ sweepId: z.uuid() }))
    .use(async ({ ctx, input, next }) => next({ ctx: { team: await getSweepAccess(ctx.db, ctx.principal, input.sweepId, minRole) } }));
}

/** For workers: a worker token; services scope every run to the token's team (and, for the platform pool's, to the teams in the pool). */
export const workerProcedure = protectedProcedure
  .meta({ access: 'worker' })
  .use(({ ctx, next }) => next({ ctx: { workerScope: requireWorkerScope(ctx.principal, ctx.policy.platformPoolTeamId) } }));
