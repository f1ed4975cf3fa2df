import { z } from 'zod';

import { ZEpochMetric } from './metrics';
import { ZRunStatus } from './status';

/** Live events on a run's pub/sub channel (worker -> Redis -> API subscription -> browser). */
export const ZRunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('epoch'), runId: z.string(), attempt: z.number().int(), metric: ZEpochMetric }),
  z.object({ type: z.literal('status'), runId: z.string(), attempt: z.number().int(), status: ZRunStatus }),
]);
export type TRunEvent = z.infer<typeof ZRunEvent>;
