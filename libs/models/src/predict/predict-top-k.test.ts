import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { predictTopK } from './predict-top-k';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A model whose softmax output is fixed by its bias: dense with a zero kernel. */
function fixedModel(logits: number[]): tf.LayersModel {
  const inputs = tf.input({ shape: [2, 2, 1] });
  const flat = tf.layers.flatten().apply(inputs);
  const dense = tf.layers.dense({
    units: logits.length,
    activation: 'softmax',
    kernelInitializer: 'zeros',
    biasInitializer: tf.initializers.constant({ value: 0 }),
  });
  const outputs = dense.apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs });
  const [kernel] = dense.getWeights();
  const bias = tf.tensor1d(logits);
  dense.setWeights([kernel as tf.Tensor, bias]);
  bias.dispose();
  return model;
}

const NAMES = ['cat', 'dog', 'fish', 'bird'];

describe('predictTopK', () => {
  it('decodes the top k classes per image, best first, like decode_predictions', async () => {
    const model = fixedModel([0, 2, 1, -1]);
    const images = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
    const result = await predictTopK(model, images, 3, NAMES);
    expect(result).toHaveLength(2);
    expect(result[0]?.map((p) => p.className)).toEqual(['dog', 'fish', 'cat']);
    expect(result[0]?.map((p) => p.classIndex)).toEqual([1, 2, 0]);
    const z = Math.exp(0) + Math.exp(2) + Math.exp(1) + Math.exp(-1);
    expect(result[1]?.[0]?.probability).toBeCloseTo(Math.exp(2) / z, 5);
    images.dispose();
    model.dispose();
  });

  it('leaks no tensors (burn-in, then the count is unchanged)', async () => {
    const model = fixedModel([1, 2, 3, 4]);
    const images = tf.randomUniform([3, 2, 2, 1]) as tf.Tensor4D;
    await predictTopK(model, images, 2, NAMES);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await predictTopK(model, images, 4, NAMES);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    model.dispose();
  });

  it('refuses a wrong k, wrong class names and non-NHWC input', async () => {
    const model = fixedModel([1, 2, 3, 4]);
    const images = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    await expect(predictTopK(model, images, 5, NAMES)).rejects.toThrow('predictTopK: k must be an integer in 1..4, got 5');
    await expect(predictTopK(model, images, 1, NAMES.slice(1))).rejects.toThrow(/3 class names for 4 outputs/);
    await expect(predictTopK(model, tf.zeros([2, 2, 1]) as unknown as tf.Tensor4D, 1, NAMES)).rejects.toThrow(/rank 4/);
    images.dispose();
    model.dispose();
  });
});
