import { z } from 'zod';

import { ZArtifactKind, ZDataConfig, ZDatasetName, ZPredictImage, ZPrediction, ZRunConfig } from '@hyperzoo/schemas';

/** The train job's payload; the worker parses job.data with this same schema before acting. */
export const ZTrainJob = z.object({
  runId: z.uuid(),
  teamId: z.uuid(),
  config: ZRunConfig,
});
export type TTrainJob = z.infer<typeof ZTrainJob>;

/** The predict job: which artifact of which run, on what image. The API resolves the artifact from the DB. */
export const ZPredictJob = z.object({
  runId: z.uuid(),
  teamId: z.uuid(),
  /** Which of the run's artifacts to load (the worker downloads it through the API). */
  artifactKind: ZArtifactKind,
  /** The checkpoint's epoch; null for `model` and `best`. */
  artifactEpoch: z.number().int().min(1).nullable(),
  dataset: ZDatasetName,
  /** The run's data.classes: its outputs are these classes of the data set, in this order (null: all). */
  classes: ZDataConfig.shape.classes,
  image: ZPredictImage,
  topK: z.number().int().min(1).max(100),
});
export type TPredictJob = z.infer<typeof ZPredictJob>;

/** A worker answers every prediction it takes: the classes, or why not (the image, or the run's model). */
export const ZPredictJobResult = z.union([
  z.object({ predictions: z.array(ZPrediction) }),
  z.object({ error: z.object({ code: z.enum(['BAD_INPUT', 'NO_MODEL']), message: z.string().max(500) }) }),
]);
export type TPredictJobResult = z.infer<typeof ZPredictJobResult>;
