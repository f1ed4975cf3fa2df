import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../backend/init-backend';
import { buildLenet5 } from '../zoo/lenet5';
import { buildTransfer } from '../zoo/transfer';
import { applyRest, frozenFeatures, splitFrozenPrefix } from './frozen-prefix';
import { SeededRandom, withSeededMathRandom } from './rng';

const transfer = (): tf.LayersModel =>
  buildTransfer({ backbone: buildLenet5(), featureLayer: 'average_pooling2d_2', classes: 10, dropout: 0.5 });

/** Three adam steps as the trainer takes them, with or without the frozen split; the weights after. */
function train(useSplit: boolean, xs: tf.Tensor, ys: tf.Tensor): { losses: number[]; weights: Float32Array[] } {
  const model = transfer();
  const frozen = useSplit ? splitFrozenPrefix(model) : null;
  if (useSplit) expect(frozen).not.toBeNull();
  const optimizer = tf.train.adam(0.01);
  const rng = new SeededRandom(7);
  const losses: number[] = [];
  for (let step = 0; step < 3; step += 1) {
    withSeededMathRandom(rng, () => {
      const features = frozen ? frozenFeatures(frozen, xs) : null;
      const loss = optimizer.minimize(() => {
        const preds = (frozen && features ? applyRest(frozen, features) : model.apply(xs, { training: true })) as tf.Tensor;
        return tf.metrics.categoricalCrossentropy(ys, preds).mean() as tf.Scalar;
      }, true) as tf.Scalar;
      features?.dispose();
      losses.push(loss.dataSync()[0] as number);
      loss.dispose();
    });
  }
  const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
  optimizer.dispose();
  model.dispose();
  return { losses, weights };
}

describe('frozen prefix outside the gradient tape', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('trains a frozen-backbone transfer model to bit-identical losses and weights', () => {
    const xs = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const full = train(false, xs, ys);
    const split = train(true, xs, ys);
    expect(split.losses).toEqual(full.losses);
    // The head moved (adam, lr 0.01), the backbone did not; and both runs agree bit for bit.
    expect(full.weights.length).toBe(split.weights.length);
    full.weights.forEach((w, i) => expect(Array.from(split.weights[i] as Float32Array)).toEqual(Array.from(w)));
    tf.dispose([xs, ys]);
  });

  it('splits only chains that start frozen', () => {
    const model = transfer();
    const frozen = splitFrozenPrefix(model);
    // Pooling and dropout train nothing either: everything before the dense head is constant to the tape.
    expect(frozen?.rest.map((l) => l.name)).toEqual(['head_predictions']);
    // Nothing frozen: no split.
    expect(splitFrozenPrefix(buildLenet5())).toBeNull();
    // A frozen layer feeding two branches: not a chain.
    const input = tf.input({ shape: [4] });
    const shared = tf.layers.dense({ units: 4, trainable: false }).apply(input) as tf.SymbolicTensor;
    const a = tf.layers.dense({ units: 2 }).apply(shared) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 2 }).apply(shared) as tf.SymbolicTensor;
    const branched = tf.model({ inputs: input, outputs: tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor });
    expect(splitFrozenPrefix(branched)).toBeNull();
  });
});
