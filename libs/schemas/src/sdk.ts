import { z } from 'zod';

import { ZSlug } from './api';
import { zText } from './text';
import { ZEpochMetric, ZRunResult } from './metrics';
import { ZRunConfig } from './run-config';
import { MAX_EPOCHS_PER_REPORT } from './worker-protocol';

/**
 * A run logged from a user's own script. The client picks the run id, so creating it again
 * (a retry, or `hz sync` of an offline run a second time) finds the same run.
 */
export const ZSdkCreateRunInput = z.object({
  teamSlug: ZSlug,
  runId: z.uuid(),
  projectSlug: ZSlug.default('default'),
  name: zText(200).min(1).optional(),
  config: ZRunConfig,
});

export const ZSdkLogEpochsInput = z.object({
  runId: z.uuid(),
  epochs: z.array(ZEpochMetric).min(1).max(MAX_EPOCHS_PER_REPORT),
});

export const ZSdkFinishRunInput = z.object({ runId: z.uuid(), result: ZRunResult });
