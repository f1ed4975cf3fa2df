import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';

import type { DbClient } from '@hyperzoo/db';
import { toIssues } from '@hyperzoo/schemas';
import type { TrainQueues } from '@hyperzoo/queue';

import { DomainError } from './errors';
import type { TPrincipal } from './services/auth';

export interface Context {
  db: DbClient;
  queues: TrainQueues;
  principal: TPrincipal | null;
  /** The raw session token from the cookie, for logout. */
  sessionToken: string | null;
  setSessionCookie(token: string | null, expiresAt?: Date): void;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Never send server stack traces to clients; the API logs them (onError).
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Zod issues with their paths, so a client can say exactly which field is wrong.
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        issues: cause instanceof ZodError ? toIssues(cause) : null,
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
export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'log in or send an API key (Authorization: Bearer hz_...)' });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
