import { z } from 'zod';

import { INT32_MAX, ZEpochMetric, ZRunResult } from './metrics';
import { ZBackendPreference, ZDevice, ZResourceClass } from './platform';
import { ZRunStatus } from './status';
import { zStorableJson, zText } from './text';

/**
 * What workers (and SDK users) send the API's worker procedures, and what they get back: the
 * worker protocol, typed once for both ends.
 */
const ZAttempt = z.number().int().min(1).max(INT32_MAX);

export const ZRegisterWorkerInput = z.object({
  name: zText(200).min(1),
  hostname: zText(300).min(1),
  backend: zText(100),
  devices: z.array(ZDevice).max(64),
  resourceClass: ZResourceClass,
  capacity: z.number().int().min(1).max(64),
  version: zText(50),
});
export type TRegisterWorkerInput = z.infer<typeof ZRegisterWorkerInput>;

export const ZHeartbeatInput = z.object({ workerId: z.uuid(), currentRuns: z.array(z.uuid()).max(64), stopping: z.boolean().optional() });

export const ZStartRunInput = z.object({
  runId: z.uuid(),
  workerId: z.uuid().nullable().default(null),
  backend: ZBackendPreference,
  device: zText(300),
});
export const ZStartRunOutput = z.object({
  attempt: z.number().int(),
  cancelRequested: z.boolean(),
  /** Hyperband rung epochs of a sweep run: the trainer waits for the report's answer there before going on. */
  rungEpochs: z.array(z.number().int()).default([]),
});

/** At most this many epochs in one report (the reporter batches below it). */
export const MAX_EPOCHS_PER_REPORT = 1000;
export const ZReportEpochsInput = z.object({
  runId: z.uuid(),
  attempt: ZAttempt,
  epochs: z.array(ZEpochMetric).min(1).max(MAX_EPOCHS_PER_REPORT),
  /** Epochs recovered from a checkpoint: stored where missing, never overwriting. */
  backfill: z.boolean().optional(),
});
export type TReportEpochsInput = z.infer<typeof ZReportEpochsInput>;
export const ZReportEpochsOutput = z.object({ stored: z.number().int(), cancelRequested: z.boolean() });
/** A worker's runs may belong to a sweep with early termination: the answer also says whether to stop here. */
export const ZWorkerReportEpochsOutput = ZReportEpochsOutput.extend({
  /** The sweep's Hyperband cut this run at a rung it reported: stop with status pruned. */
  pruneRequested: z.boolean().default(false),
  rung: z.number().int().nullable().default(null),
  cutoff: z.number().nullable().default(null),
});

export const ZFinishRunInput = z.object({ runId: z.uuid(), attempt: ZAttempt, result: ZRunResult, dataProvenance: zStorableJson.optional() });

export const ARTIFACT_KINDS = ['checkpoint', 'best', 'model'] as const;
export const ZArtifactKind = z.enum(ARTIFACT_KINDS);
export type TArtifactKind = z.infer<typeof ZArtifactKind>;

export const ZReleaseRunInput = z.object({ runId: z.uuid(), reason: zText(2000) });
export const ZRunControl = z.object({ status: ZRunStatus, cancelRequested: z.boolean() });
