import { z } from 'zod';

import { ZPredictJob, ZPredictJobResult } from '@hyperzoo/queue';
import { ZBackendPreference } from '@hyperzoo/schemas';

/** Parent -> predictor child: its settings once, then one request per prediction. */
export const ZPredictorCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), backend: ZBackendPreference, artifactRoot: z.string(), cacheSize: z.number().int().min(1) }),
  z.object({ type: z.literal('predict'), id: z.number().int(), request: ZPredictJob.pick({ dataset: true, classes: true, image: true, topK: true }).extend({ artifactPath: z.string() }) }),
]);
export type TPredictorCommand = z.infer<typeof ZPredictorCommand>;
export type TPredictRequest = Extract<TPredictorCommand, { type: 'predict' }>['request'];

/** Predictor child -> parent: the answer to request `id`. */
export const ZPredictorEvent = z.object({ type: z.literal('answer'), id: z.number().int(), answer: ZPredictJobResult });
