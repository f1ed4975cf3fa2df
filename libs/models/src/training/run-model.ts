import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { loadBackbone } from '../transfer/backbone';
import { FINAL_MODEL, resolveCheckpointDir } from './checkpoint-layout';

/** A run's model directory in the artifact store: its final model, else its newest checkpoint. */
export async function resolveRunModelDir(artifactRoot: string, runId: string): Promise<string> {
  const finalDir = join(artifactRoot, runId, FINAL_MODEL);
  return existsSync(join(finalDir, 'model.json')) ? finalDir : resolveCheckpointDir(join(artifactRoot, runId));
}

/**
 * Loads a model a run left in the artifact store (`path` relative to its root, or inside it:
 * a final model or a checkpoint directory). The one way runs' models are loaded: transfer.fromRunId and prediction.
 */
export async function loadRunModel(artifactRoot: string, path: string): Promise<tf.LayersModel> {
  return loadBackbone(path, { allowedRoots: [artifactRoot] });
}
