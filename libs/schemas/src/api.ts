import { z } from 'zod';

import { INT32_MAX, ZEpochMetric } from './metrics';
import { ZResourceClass } from './platform';
import { ZRunConfig } from './run-config';
import { ZRunStatus } from './status';
import { zText } from './text';

export const ZSlug = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

/** Calls one batched request may carry: the API's default and least HZ_MAX_BATCH_SIZE, and what the dashboard sends at most. */
export const BATCH_SIZE = 10;

export const ZCreateRunInput = z.object({
  teamSlug: ZSlug,
  projectSlug: ZSlug.default('default'),
  name: zText(200).min(1).optional(),
  resourceClass: ZResourceClass.default('cpu'),
  config: ZRunConfig,
  /** The same key twice (a double click, a client retry) returns the run the first call made. */
  idempotencyKey: zText(200).min(1).optional(),
});
export type TCreateRunInput = z.input<typeof ZCreateRunInput>;

export const ZRunSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: ZRunStatus,
  architecture: z.string(),
  dataset: z.string(),
  resourceClass: ZResourceClass,
  attempt: z.number().int().max(INT32_MAX),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  paramCount: z.number().int().nullable(),
  bestEpoch: z.number().int().nullable(),
  stoppedEpoch: z.number().int().nullable(),
  testLoss: z.number().nullable(),
  testAccuracy: z.number().nullable(),
  /** Values at bestEpoch, the gap there, time and epochs: stored when the run ends (null before). */
  bestValAccuracy: z.number().nullable(),
  bestValLoss: z.number().nullable(),
  bestAccuracy: z.number().nullable(),
  bestLoss: z.number().nullable(),
  gapLoss: z.number().nullable(),
  gapAccuracy: z.number().nullable(),
  durationMs: z.number().nullable(),
  epochsDone: z.number().int().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  deletedAt: z.date().nullable(),
  pinnedAt: z.date().nullable(),
  error: z.string().nullable(),
  projectSlug: z.string(),
  sweepId: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type TRunSummary = z.infer<typeof ZRunSummary>;

export const ZRunDetail = ZRunSummary.extend({
  config: ZRunConfig,
  dataProvenance: z.unknown().nullable(),
  epochs: z.array(ZEpochMetric),
  /** A sweep run cut by Hyperband: the rung (0 = the first) and the cut-off value it missed. */
  prunedRung: z.number().int().nullable(),
  prunedCutoff: z.number().nullable(),
});
export type TRunDetail = z.infer<typeof ZRunDetail>;
