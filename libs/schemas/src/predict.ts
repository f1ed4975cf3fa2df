import { z } from 'zod';

import { ZArtifactKind } from './worker-protocol';

/** Largest encoded image accepted (bytes, before base64), well inside the API's body limit. */
export const PREDICT_IMAGE_MAX_BYTES = 512 * 1024;
/** Side of the raw pixel array (the zoo's native 28 x 28 grey images). */
export const PREDICT_PIXELS_SIDE = 28;

/** One image: PNG/JPEG bytes as base64, or a raw 28 x 28 grey array of 0-255 values (the model input is scaled as in training). */
export const ZPredictImage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('encoded'),
    base64: z
      .base64()
      .max(Math.ceil(PREDICT_IMAGE_MAX_BYTES / 3) * 4, `at most ${PREDICT_IMAGE_MAX_BYTES / 1024} KiB of image bytes`)
      .refine((b) => /^(iVBORw0KGgo|\/9j\/)/.test(b), 'must be a PNG or JPEG'),
  }),
  z.object({
    kind: z.literal('pixels'),
    pixels: z.array(z.array(z.number().min(0).max(255)).length(PREDICT_PIXELS_SIDE)).length(PREDICT_PIXELS_SIDE),
  }),
]);
export type TPredictImage = z.infer<typeof ZPredictImage>;

export const ZPredictInput = z.object({
  image: ZPredictImage,
  topK: z.number().int().min(1).max(100).default(5),
});

/** One class of a prediction, as Keras' decode_predictions gives it. */
export const ZPrediction = z.object({ classIndex: z.number().int(), className: z.string(), probability: z.number() });
export type TPrediction = z.infer<typeof ZPrediction>;

export const ZPredictOutput = z.object({
  runId: z.string(),
  /** The run's artifact the prediction used: model, else best, else the newest checkpoint. */
  model: z.object({ kind: ZArtifactKind, epoch: z.number().int().nullable() }),
  /** Best first. */
  predictions: z.array(ZPrediction),
});
export type TPredictOutput = z.infer<typeof ZPredictOutput>;
