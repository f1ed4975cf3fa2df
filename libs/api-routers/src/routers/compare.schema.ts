import { z } from 'zod';

import { EPOCH_METRIC_NAMES, ZRunConfig, ZRunStatus } from '@hyperzoo/schemas';

const ZMetricName = z.enum(EPOCH_METRIC_NAMES as [(typeof EPOCH_METRIC_NAMES)[number], ...(typeof EPOCH_METRIC_NAMES)[number][]]);

export const ZCompareRunsInput = z.object({
  runIds: z.array(z.uuid()).min(1).max(50),
  metrics: z.array(ZMetricName).min(1).max(EPOCH_METRIC_NAMES.length),
  /** Points per curve; a longer curve is downsampled with LTTB. */
  maxPoints: z.number().int().min(3).max(5000).default(500),
});

/** One metric of one run, columnar: values[i] at epochs[i]; cheaper to send and check than an object per epoch. */
const ZCurve = z.object({ epochs: z.array(z.number().int()), values: z.array(z.number()) });

export const ZCompareRunsOutput = z.object({
  runs: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: ZRunStatus,
      architecture: z.string(),
      config: ZRunConfig,
      curves: z.record(z.string(), ZCurve),
    }),
  ),
  /** Config keys (dotted) whose values differ, with the value per run in `runs` order. */
  configDiff: z.record(z.string(), z.array(z.unknown())),
});
