import { z } from 'zod';

/** One epoch, Keras metric names on the wire; the DB uses camelCase columns. */
export const ZEpochMetric = z.object({
  epoch: z.number().int().min(1),
  /** 'train', or 'finetune' for the second phase of a transfer run. */
  phase: z.enum(['train', 'finetune']).default('train'),
  loss: z.number(),
  accuracy: z.number().nullable(),
  val_loss: z.number().nullable(),
  val_accuracy: z.number().nullable(),
  lr: z.number().nullable(),
  durationMs: z.number().min(0),
  imagesPerSec: z.number().min(0).nullable(),
});
export type TEpochMetric = z.infer<typeof ZEpochMetric>;

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'diverged', 'pruned'] as const;
export const ZRunStatus = z.enum(RUN_STATUSES);
export type TRunStatus = z.infer<typeof ZRunStatus>;
export const TERMINAL_STATUSES: readonly TRunStatus[] = ['succeeded', 'failed', 'cancelled', 'diverged', 'pruned'];

/** What a trainer reports when a run ends. */
export const ZRunResult = z.object({
  status: z.enum(['succeeded', 'failed', 'cancelled', 'diverged']),
  bestEpoch: z.number().int().min(1).nullable(),
  stoppedEpoch: z.number().int().min(1).nullable(),
  testLoss: z.number().nullable(),
  testAccuracy: z.number().nullable(),
  paramCount: z.number().int().min(0).nullable(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  error: z.string().nullable(),
});
export type TRunResult = z.infer<typeof ZRunResult>;

/** Live events on a run's pub/sub channel (worker -> Redis -> API SSE -> browser). */
export const ZRunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('epoch'), runId: z.string(), attempt: z.number().int(), metric: ZEpochMetric }),
  z.object({ type: z.literal('status'), runId: z.string(), attempt: z.number().int(), status: ZRunStatus }),
]);
export type TRunEvent = z.infer<typeof ZRunEvent>;
