import { z } from 'zod';

import { ZEpochMetric } from './metrics';
import { ZRunStatus } from './status';

/** Live events on a run's pub/sub channel (worker -> Redis -> API subscription -> browser). */
export const ZRunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('epoch'), runId: z.string(), attempt: z.number().int(), metric: ZEpochMetric }),
  z.object({ type: z.literal('status'), runId: z.string(), attempt: z.number().int(), status: ZRunStatus }),
]);
export type TRunEvent = z.infer<typeof ZRunEvent>;

/** What a run list (a team's, a sweep's) hears about one of its runs: a status change or a new epoch. */
export const ZRunChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), runId: z.string(), attempt: z.number().int(), status: ZRunStatus }),
  z.object({ type: z.literal('progress'), runId: z.string(), epoch: z.number().int() }),
]);
export type TRunChange = z.infer<typeof ZRunChange>;

/** Subscriptions take the last event id the client saw (EventSource sends it on reconnect). */
export const ZLiveInput = z.object({ lastEventId: z.string().max(64).nullish() });
