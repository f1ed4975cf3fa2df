import { JOB_NAMES, ZPredictJob } from '@hyperzoo/queue';

import { defineProcessor } from '../../processor';

/** `model.predict`: top-K classes of one image with a run's model, in the predictor child; the answer is the job's result. */
export const predictProcessor = defineProcessor({
  name: JOB_NAMES.predict,
  schema: ZPredictJob,
  handle: ({ artifactPath, dataset, image, topK }, ctx) => ctx.deps.predictor.predict({ artifactPath, dataset, image, topK }),
});
