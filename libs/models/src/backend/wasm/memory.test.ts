import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { randomTensor } from '../testing/compare-backends';
import { computeLoss, SMALL_CONV_MODELS } from '../testing/small-conv-models';

/** Our kernels free their intermediates with backend.disposeData, invisible to numTensors. */
const wasmDataIds = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('training on wasm does not leak', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each(SMALL_CONV_MODELS.map((m) => [m.name, m] as const))('%s: tensors and wasm buffers stay flat across epochs', async (_name, spec) => {
    const model = spec.build();
    const optimizer = tf.train.adam(0.001);
    const x = randomTensor([24, ...spec.inputShape], 21);
    const xs = tf.tensor(x.values, x.shape);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 24 }, (_, i) => i % 10), 'int32'), 10).toFloat();
    const epoch = async (): Promise<void> => {
      for (let start = 0; start < 24; start += 8) {
        const [bx, by] = [xs.slice(start, 8), ys.slice(start, 8)];
        const loss = optimizer.minimize(() => computeLoss(model, spec.logits ?? false, bx, by), true);
        await loss?.data();
        tf.dispose([bx, by]);
        loss?.dispose();
      }
    };
    await epoch(); // burn-in: optimizer slots, XNNPACK operators
    const counts: Array<[number, number]> = [];
    for (let i = 0; i < 3; i += 1) {
      await epoch();
      counts.push([tf.memory().numTensors, wasmDataIds()]);
    }
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
    optimizer.dispose();
    model.dispose();
    tf.dispose([xs, ys]);
  });

  it('model.fit (batches by gather and slice) keeps tensors and buffers flat across epochs', async () => {
    const spec = SMALL_CONV_MODELS[0];
    if (spec == null) throw new Error('no model');
    const model = spec.build();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = randomTensor([40, ...spec.inputShape], 22);
    const xs = tf.tensor(x.values, x.shape);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 10), 'int32'), 10).toFloat();
    const counts: Array<[number, number]> = [];
    await model.fit(xs, ys, {
      batchSize: 8,
      epochs: 4,
      validationSplit: 0.2,
      verbose: 0,
      callbacks: { onEpochEnd: async () => void counts.push([tf.memory().numTensors, wasmDataIds()]) },
    });
    expect(counts[2]).toEqual(counts[1]);
    expect(counts[3]).toEqual(counts[1]);
    model.optimizer.dispose();
    model.dispose();
    tf.dispose([xs, ys]);
  });
});
