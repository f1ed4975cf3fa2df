import { z } from 'zod';

import { ZBackendPreference, ZEpochMetric, ZRunConfig, ZRunResult } from '@hyperzoo/schemas';

/** Parent -> trainer child. */
export const ZTrainerCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    runId: z.string(),
    config: ZRunConfig,
    backend: ZBackendPreference,
    checkpointDir: z.string(),
    resumeFrom: z.string().nullable(),
    dataCacheDir: z.string().optional(),
    /** Root of the artifact store: `<root>/<runId>` holds a run's checkpoints (transfer.fromRunId reads there). */
    artifactRoot: z.string(),
    /** URL prefixes transfer.modelUrl may load from (HZ_MODEL_URL_ALLOWLIST); none: no http(s) backbones. */
    modelUrls: z.array(z.string()).optional(),
    /** Sweep rung epochs: after these the trainer waits for `proceed` (the API's answer to the report) before the next epoch. */
    waitAtEpochs: z.array(z.number().int()).optional(),
    /** Most bytes one modelUrl backbone may download (HZ_MODEL_MAX_BYTES). */
    modelMaxBytes: z.number().int().positive().optional(),
  }),
  /** Sent once after the fork: load tfjs and the backend now, so the first run does not wait for them. */
  z.object({ type: z.literal('warm'), backend: ZBackendPreference }),
  z.object({ type: z.literal('cancel') }),
  /** The answer at a rung epoch: go on, or stop here as pruned. */
  z.object({ type: z.literal('proceed'), epoch: z.number().int(), prune: z.boolean() }),
]);
export type TTrainerCommand = z.infer<typeof ZTrainerCommand>;

/** Trainer child -> parent. */
export const ZTrainerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('epoch'), metric: ZEpochMetric }),
  z.object({ type: z.literal('checkpoint'), epoch: z.number().int(), dir: z.string(), isBest: z.boolean() }),
  z.object({ type: z.literal('result'), result: ZRunResult, provenance: z.unknown() }),
  z.object({ type: z.literal('log'), message: z.string() }),
  /** The warm-up is done (ms since the process started). */
  z.object({ type: z.literal('ready'), uptimeMs: z.number() }),
  /** After a result: the trainer waits for the next start; liveTensors is what the run left behind. */
  z.object({ type: z.literal('idle'), liveTensors: z.number().int() }),
]);
export type TTrainerEvent = z.infer<typeof ZTrainerEvent>;
