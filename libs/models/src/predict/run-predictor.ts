import * as tf from '@tensorflow/tfjs';

import { datasetClassNames, decodeImageBytes } from '@hyperzoo/data';
import type { TPredictImage, TPrediction } from '@hyperzoo/schemas';

import { loadRunModel } from '../training/run-model';
import { predictTopK } from './predict-top-k';

export interface RunPredictRequest {
  /** The model's directory, relative to the artifact root (Artifact.path). */
  artifactPath: string;
  dataset: string;
  /** The run's data.classes (outputs are these classes of the data set, in order); null or absent: all. */
  classes?: readonly number[] | null;
  image: TPredictImage;
  topK: number;
}

/** The request cannot be answered as asked (the image, topK): the caller's to fix. */
export class PredictInputError extends Error {
  override name = 'PredictInputError';
}

const DEFAULT_CACHE_SIZE = 4;

/** [1, h, w, c] scaled to [0, 1] as the training batches are (libs/data batchIterator, scale01). */
async function toInput(image: TPredictImage, [h, w, c]: [number, number, number]): Promise<tf.Tensor4D> {
  if (image.kind === 'encoded') {
    if (h !== w) throw new PredictInputError(`the model takes ${h}x${w} images; encoded images are resized to square models only`);
    let pixels: Uint8Array;
    try {
      pixels = await decodeImageBytes(Buffer.from(image.base64, 'base64'), h, c === 1 ? 1 : 3);
    } catch {
      throw new PredictInputError('the image could not be decoded as PNG or JPEG');
    }
    return tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [1, h, w, c]);
  }
  return tf.tidy(() => {
    const side = image.pixels.length;
    let x = tf.tensor4d(Float32Array.from(image.pixels.flat(), (v) => v / 255), [1, side, side, 1]);
    if (side !== h || side !== w) x = tf.image.resizeBilinear(x, [h, w]);
    return c === 1 ? x : tf.tile(x, [1, 1, 1, c]);
  });
}

/**
 * Predicts with runs' models, keeping the last `cacheSize` loaded (least recently used evicted
 * and disposed), so repeated predictions on a run skip the load.
 */
export function createRunPredictor(opts: { artifactRoot: string; cacheSize?: number }) {
  const cacheSize = opts.cacheSize ?? DEFAULT_CACHE_SIZE;
  const models = new Map<string, Promise<tf.LayersModel>>();

  const load = (path: string): Promise<tf.LayersModel> => {
    const hit = models.get(path);
    if (hit) {
      models.delete(path);
      models.set(path, hit);
      return hit;
    }
    const loading = loadRunModel(opts.artifactRoot, path);
    models.set(path, loading);
    loading.catch(() => models.delete(path));
    for (const [oldest, model] of models) {
      if (models.size <= cacheSize) break;
      models.delete(oldest);
      void model.then((m) => m.dispose(), () => undefined);
    }
    return loading;
  };

  return {
    /** Top-K classes of one image, best first. Throws PredictInputError for a request the model cannot take. */
    async predict(req: RunPredictRequest): Promise<TPrediction[]> {
      const model = await load(req.artifactPath);
      const [, h, w, c] = model.inputs[0]?.shape ?? [];
      const classes = model.outputs[0]?.shape[1];
      if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number' || typeof classes !== 'number') {
        throw new Error(`the model at ${req.artifactPath} does not take [batch, h, w, c] images to [batch, classes]`);
      }
      if (req.topK > classes) throw new PredictInputError(`topK ${req.topK} is more than the model's ${classes} classes`);
      const all = datasetClassNames(req.dataset);
      const ids = req.classes ?? Array.from({ length: all?.length ?? classes }, (_, i) => i);
      const names = ids.map((c) => all?.[c] ?? `class ${c}`);
      const x = await toInput(req.image, [h, w, c]);
      try {
        return (await predictTopK(model, x, req.topK, names))[0] ?? [];
      } finally {
        x.dispose();
      }
    },
    /** Paths of the models loaded now, least recently used first. */
    loaded: () => [...models.keys()],
    dispose() {
      for (const model of models.values()) void model.then((m) => m.dispose(), () => undefined);
      models.clear();
    },
  };
}
