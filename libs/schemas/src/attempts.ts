import { z } from 'zod';

/** How an attempt ended: the run's final status, `released` (the worker handed it back) or `lost` (the worker went away and the job was retried). */
export const ATTEMPT_OUTCOMES = ['succeeded', 'failed', 'cancelled', 'diverged', 'pruned', 'released', 'lost'] as const;
export const ZAttemptOutcome = z.enum(ATTEMPT_OUTCOMES);

/** One start of a run on a worker; `outcome` and `endedAt` are null while it runs. */
export const ZRunAttempt = z.object({
  attempt: z.number().int(),
  workerName: z.string().nullable(),
  backend: z.string(),
  device: z.string(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  outcome: ZAttemptOutcome.nullable(),
  error: z.string().nullable(),
});
export type TRunAttempt = z.infer<typeof ZRunAttempt>;
