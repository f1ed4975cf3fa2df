import { z } from 'zod';

import { ZRunConfig } from '@hyperzoo/schemas';

/** The train job's payload; the worker parses job.data with this same schema before acting. */
export const ZTrainJob = z.object({
  runId: z.uuid(),
  teamId: z.uuid(),
  config: ZRunConfig,
});
export type TTrainJob = z.infer<typeof ZTrainJob>;
