import * as tf from '@tensorflow/tfjs';

import { batchIterator, type ImageSet } from '@hyperzoo/data';
import { ZRunConfig, type TRunConfigInput } from '@hyperzoo/schemas';

import type { TrainData } from './trainer';
import { SeededRandom, withSeededMathRandom } from './rng';

/**
 * A small synthetic image task for training tests: 8x8 grey images, one bright horizontal band
 * per class (rows 2k..2k+1) over seeded noise. Learnable in a few epochs by a tiny model.
 */
function makeBandImages(perClass: number, classes: number, seed: number): ImageSet {
  const size = 8;
  const rng = new SeededRandom(seed);
  const count = perClass * classes;
  const images = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let p = 0; p < size * size; p++) {
      const row = Math.floor(p / size);
      const band = row >= 2 * label && row < 2 * label + 2;
      images[i * size * size + p] = Math.floor(rng.next() * 90) + (band ? 120 : 0);
    }
  }
  return { images, labels, count, height: size, width: size, channels: 1 };
}

/** Batch sources over synthetic train/validation/test sets. */
export function makeBandData(opts: { perClass?: number; classes?: number; batchSize?: number } = {}): TrainData {
  const classes = opts.classes ?? 3;
  const perClass = opts.perClass ?? 20;
  const batchSize = opts.batchSize ?? 16;
  const train = makeBandImages(perClass, classes, 1);
  const validation = makeBandImages(Math.max(2, perClass / 4), classes, 2);
  const test = makeBandImages(Math.max(2, perClass / 4), classes, 3);
  const source = (set: ImageSet) => (shuffleSeed: number | null) => batchIterator(set, { batchSize, shuffleSeed, numClasses: classes });
  return {
    train: source(train),
    trainBatches: Math.ceil(train.count / batchSize),
    validation: source(validation),
    test: source(test),
  };
}

/** A tiny dense model with dropout; initial weights drawn under a seeded Math.random. */
export function buildTinyModel(seed: number, classes = 3, opts: { frozenFirst?: boolean } = {}): tf.LayersModel {
  return withSeededMathRandom(new SeededRandom(seed), () => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [8, 8, 1] }));
    model.add(tf.layers.dense({ units: 12, activation: 'relu', trainable: !opts.frozenFirst }));
    model.add(tf.layers.dropout({ rate: 0.2 }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    return model;
  });
}

export function tinyConfig(overrides: Partial<TRunConfigInput> = {}) {
  return ZRunConfig.parse({ architecture: 'mlp', epochs: 4, batchSize: 16, seed: 7, ...overrides });
}
