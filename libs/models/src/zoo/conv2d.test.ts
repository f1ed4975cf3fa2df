import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../backend/init-backend';
import { loadOnednn } from '../backend/native/addon';
import { hasFusedConvRelu } from '../backend/native/conv-relu';
import { registerOnednnConvKernels, unregisterOnednnConvKernels } from '../backend/native/onednn-kernels';
import { maxRelativeError, randomTensor } from '../backend/testing/compare-backends';
import type { THostTensor } from '../backend/testing/compare-backends';
import { FusedConv2DLayer } from './conv2d';
import { saveInMemory } from './testing/save-in-memory';
import { expectTrainingLeaksNothing } from '../backend/testing/training-leaks';

const TOLERANCE = 1e-4;
const host = async (t: tf.Tensor): Promise<THostTensor> => ({ shape: t.shape, values: (await t.data()) as Float32Array });
const tensor = (t: THostTensor) => tf.tensor(t.values, t.shape);

type TCase = { name: string; activation: 'relu' | 'linear'; useBias: boolean; strides: number; padding: 'same' | 'valid' };

/** One training forward and backward of the layer: output and the gradients of x, kernel and bias. */
async function step(c: TCase): Promise<Record<string, THostTensor>> {
  const layer = new FusedConv2DLayer({ filters: 5, kernelSize: 3, activation: c.activation, useBias: c.useBias, strides: c.strides, padding: c.padding });
  const x = tensor(randomTensor([2, 9, 8, 4], 1));
  layer.apply(x); // builds it
  layer.setWeights([tensor(randomTensor([3, 3, 4, 5], 2)), ...(c.useBias ? [tensor(randomTensor([5], 3))] : [])]);
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const dy = tensor(randomTensor(y.shape, 4));
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dy)) as tf.Scalar;
  const dx = tf.grad(loss)(x);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => loss(x), vars);
  const out: Record<string, THostTensor> = { y: await host(y), dx: await host(dx) };
  for (const [i, v] of vars.entries()) out[`d${i === 0 ? 'kernel' : 'bias'}`] = await host(grads[v.name] as tf.Tensor);
  tf.dispose([x, y, dy, dx, grads]);
  layer.dispose();
  return out;
}

describe.runIf(process.env.HZ_REQUIRE_NATIVE === '1' || 'addon' in loadOnednn())('Conv2D with bias and relu fused in training', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    registerOnednnConvKernels();
  });

  it.each<TCase>([
    { name: 'relu, bias, same', activation: 'relu', useBias: true, strides: 1, padding: 'same' },
    { name: 'relu, no bias, stride 2, valid', activation: 'relu', useBias: false, strides: 2, padding: 'valid' },
    { name: 'linear, bias, stride 2, same', activation: 'linear', useBias: true, strides: 2, padding: 'same' },
  ])('output and gradients equal the stock layer\'s: $name', async (c) => {
    registerOnednnConvKernels();
    expect(hasFusedConvRelu()).toBe(true);
    const fused = await step(c);
    unregisterOnednnConvKernels(); // the stock layer, on our wasm convolutions
    expect(hasFusedConvRelu()).toBe(false);
    const stock = await step(c);
    expect(Object.keys(fused)).toEqual(Object.keys(stock));
    for (const key of Object.keys(stock)) expect(maxRelativeError(fused[key] as THostTensor, stock[key] as THostTensor), key).toBeLessThan(TOLERANCE);
  });

  it('a training step leaves no tensor behind and grows no wasm memory', async () => {
    registerOnednnConvKernels();
    expectTrainingLeaksNothing(tf.sequential({ layers: [new FusedConv2DLayer({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] }));
  });
});

describe('FusedConv2DLayer saves as the stock layer', () => {
  it('is written as Conv2D and read back into this class', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [new FusedConv2DLayer({ name: 'c', inputShape: [5, 5, 1], filters: 2, kernelSize: 3, activation: 'relu' })] });
    const saved = await saveInMemory(model);
    expect(JSON.stringify(saved.modelTopology)).toContain('"class_name":"Conv2D"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    expect(loaded.getLayer('c')).toBeInstanceOf(FusedConv2DLayer);
    model.dispose();
    loaded.dispose();
  });
});
