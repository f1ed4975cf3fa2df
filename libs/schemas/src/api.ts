import { z } from 'zod';

import { ZEpochMetric, ZRunStatus } from './metrics';
import { ZRunConfig } from './run-config';

export const ZSlug = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

export const ZTeamRef = z.object({ teamSlug: ZSlug });

export const ZCreateRunInput = z.object({
  teamSlug: ZSlug,
  projectSlug: ZSlug.default('default'),
  name: z.string().min(1).max(200).optional(),
  resourceClass: z.enum(['cpu', 'gpu']).default('cpu'),
  config: ZRunConfig,
});
export type TCreateRunInput = z.input<typeof ZCreateRunInput>;

export const ZRunSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: ZRunStatus,
  architecture: z.string(),
  dataset: z.string(),
  resourceClass: z.enum(['cpu', 'gpu']),
  attempt: z.number().int(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  paramCount: z.number().int().nullable(),
  bestEpoch: z.number().int().nullable(),
  stoppedEpoch: z.number().int().nullable(),
  testLoss: z.number().nullable(),
  testAccuracy: z.number().nullable(),
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
});
export type TRunDetail = z.infer<typeof ZRunDetail>;
