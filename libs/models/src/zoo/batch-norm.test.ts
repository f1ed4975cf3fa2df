import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../backend/init-backend';
import { hasFusedBatchNormTraining } from '../backend/native/batch-norm';
import { loadOnednn } from '../backend/native/addon';
import { registerOnednnConvKernels, unregisterOnednnBatchNormKernels } from '../backend/native/onednn-kernels';
import { maxRelativeError, randomTensor } from '../backend/testing/compare-backends';
import type { THostTensor } from '../backend/testing/compare-backends';
import { FusedBatchNormalization } from './batch-norm';
import { saveInMemory } from './testing/save-in-memory';
import { expectTrainingLeaksNothing } from '../backend/testing/training-leaks';

const TOLERANCE = 1e-4;
const host = async (t: tf.Tensor): Promise<THostTensor> => ({ shape: t.shape, values: (await t.data()) as Float32Array });
const tensor = (t: THostTensor) => tf.tensor(t.values, t.shape);

/** One training forward and backward of a BatchNormalization layer; what it computes and updates. */
async function step(shape: number[]): Promise<Record<string, THostTensor>> {
  const c = shape.at(-1) as number;
  const layer = new FusedBatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const x = tensor(randomTensor(shape, 1));
  const dy = tensor(randomTensor(shape, 2));
  layer.apply(x, { training: false }); // builds it
  layer.setWeights([tensor(randomTensor([c], 3)), tensor(randomTensor([c], 4)), tf.fill([c], 0.5), tf.fill([c], 2)]);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dy)) as tf.Scalar;
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const dx = tf.grad(loss)(x);
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read()) as [tf.Variable, tf.Variable];
  const { grads } = tf.variableGrads(() => loss(x), [gamma, beta]);
  const [movingMean, movingVariance] = layer.nonTrainableWeights.map((w) => w.read()) as [tf.Tensor, tf.Tensor];
  const out = {
    y: await host(y), dx: await host(dx), dgamma: await host(grads[gamma.name] as tf.Tensor), dbeta: await host(grads[beta.name] as tf.Tensor),
    movingMean: await host(movingMean), movingVariance: await host(movingVariance),
  };
  tf.dispose([x, dy, y, dx, grads]);
  layer.dispose();
  return out;
}

const required = process.env.HZ_REQUIRE_NATIVE === '1';

describe.runIf(required || 'addon' in loadOnednn())('batch normalisation by oneDNN in training', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    registerOnednnConvKernels();
  });

  it.each([
    { name: 'NHWC, a conv layer\'s output', shape: [4, 7, 6, 8] },
    { name: 'one image, one channel', shape: [1, 5, 5, 1] },
    { name: 'rank 2, a dense layer\'s output', shape: [16, 10] },
    { name: 'rank 3', shape: [3, 9, 5] },
  ])('output, gradients and moving averages equal tfjs\'s composed ops: $name', async ({ shape }) => {
    registerOnednnConvKernels();
    expect(hasFusedBatchNormTraining()).toBe(true);
    const fused = await step(shape);
    unregisterOnednnBatchNormKernels();
    expect(hasFusedBatchNormTraining()).toBe(false);
    const composed = await step(shape);
    for (const key of Object.keys(composed)) {
      expect(maxRelativeError(fused[key] as THostTensor, composed[key] as THostTensor), key).toBeLessThan(TOLERANCE);
    }
  });

  it('a training step leaves no tensor behind and grows no wasm memory', async () => {
    registerOnednnConvKernels();
    expectTrainingLeaksNothing(tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }), new FusedBatchNormalization({}), tf.layers.flatten(), tf.layers.dense({ units: 2 })] }));
  });
});

describe('FusedBatchNormalization saves as the stock layer', () => {
  it('is written as BatchNormalization and read back into this class', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), new FusedBatchNormalization({ name: 'bn' })] });
    const saved = await saveInMemory(model);
    expect(JSON.stringify(saved.modelTopology)).toContain('"class_name":"BatchNormalization"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    expect(loaded.getLayer('bn')).toBeInstanceOf(FusedBatchNormalization);
    model.dispose();
    loaded.dispose();
  });
});
