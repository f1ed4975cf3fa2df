import { JOB_NAMES, ZPredictJob } from '@hyperzoo/queue';

import path from 'node:path';

import { ensureArtifactModel } from '../../artifacts';
import { defineProcessor } from '../../processor';

/** `model.predict`: top-K classes of one image with a run's model, in the predictor child; the answer is the job's result. */
export const predictProcessor = defineProcessor({
  name: JOB_NAMES.predict,
  schema: ZPredictJob,
  handle: async ({ runId, artifactKind, artifactEpoch, dataset, classes, image, topK }, ctx) => {
    const root = path.resolve(ctx.deps.env.HZ_ARTIFACT_DIR);
    const dir = await ensureArtifactModel(ctx.deps.artifacts, root, runId, artifactKind, artifactEpoch);
    if (!dir) return { error: { code: 'NO_MODEL' as const, message: `run ${runId} has no ${artifactKind} artifact in the store` } };
    return ctx.deps.predictor.predict({ artifactPath: path.relative(root, dir), dataset, classes, image, topK });
  },
});
