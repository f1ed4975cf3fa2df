import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { maxRelativeError, randomTensor, runKernelOn } from '../testing/compare-backends';
import { CONV_CASES, convOutputShape } from '../testing/conv-cases';
import { loadOnednn } from './addon';
import { expectTrainingLeaksNothing } from '../testing/training-leaks';

// CI installs libdnnl-dev and sets HZ_REQUIRE_NATIVE=1: there these tests must run. Elsewhere
// they run where oneDNN is installed and are reported skipped where it is not.
const required = process.env.HZ_REQUIRE_NATIVE === '1';
const loaded = loadOnednn();
const TOLERANCE = 1e-4;

it.runIf(required)('the oneDNN addon builds and loads', () => {
  expect(loaded).toHaveProperty('addon');
});

describe.runIf('addon' in loaded)('oneDNN convolutions on the wasm backend agree with the cpu backend', () => {
  beforeAll(async () => {
    const info = await initBackend('wasm');
    expect(info.device).toContain('oneDNN convolutions');
  });

  it.each(CONV_CASES)('Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput: $name', async (c) => {
    const forward = { inputs: { x: randomTensor(c.x, 5), filter: randomTensor(c.filter, 6) }, attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1] } };
    const filterGrad = { inputs: { x: randomTensor(c.x, 1), dy: randomTensor(convOutputShape(c), 2) }, attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter } };
    const inputGrad = { inputs: { dy: randomTensor(convOutputShape(c), 3), filter: randomTensor(c.filter, 4) }, attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } };
    for (const [kernel, { inputs, attrs }] of [['Conv2D', forward], ['Conv2DBackpropFilter', filterGrad], ['Conv2DBackpropInput', inputGrad]] as const) {
      const expected = await runKernelOn('cpu', kernel, inputs, attrs);
      const actual = await runKernelOn('wasm', kernel, inputs, attrs);
      expect(actual.shape, kernel).toEqual(expected.shape);
      expect(maxRelativeError(actual, expected), kernel).toBeLessThan(TOLERANCE);
    }
  });

  it.each([
    { activation: 'relu', bias: true, dilation: 1 },
    { activation: 'linear', bias: true, dilation: 1 },
    { activation: 'relu', bias: false, dilation: 2 },
    { activation: 'elu', bias: true, dilation: 1 }, // not fused by oneDNN: the kernel it replaced
  ])('FusedConv2D: $activation, bias $bias, dilation $dilation', async ({ activation, bias, dilation }) => {
    const inputs = { x: randomTensor([3, 11, 10, 8], 7), filter: randomTensor([3, 3, 8, 12], 8), ...(bias ? { bias: randomTensor([12], 9) } : {}) };
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [dilation, dilation], activation };
    const expected = await runKernelOn('cpu', 'FusedConv2D', inputs, attrs);
    const actual = await runKernelOn('wasm', 'FusedConv2D', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each([
    { name: 'LeNet-5\'s second, 2x2, stride 2', x: [4, 10, 10, 16], filterSize: 2, strides: 2, pad: 'valid' },
    { name: '3x3, stride 2, same (padding not counted)', x: [2, 7, 7, 32], filterSize: 3, strides: 2, pad: 'same' },
    { name: '2x3, stride 1, same', x: [1, 5, 6, 16], filterSize: [2, 3], strides: 1, pad: 'same' },
    { name: '6 channels (our wasm kernels)', x: [2, 8, 8, 6], filterSize: 2, strides: 2, pad: 'valid' },
  ])('AvgPool, AvgPoolGrad: $name', async ({ x, filterSize, strides, pad }) => {
    const attrs = { filterSize, strides, pad };
    const forward = { x: randomTensor(x, 10) };
    const expected = await runKernelOn('cpu', 'AvgPool', forward, attrs);
    const actual = await runKernelOn('wasm', 'AvgPool', forward, attrs);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual, expected), 'AvgPool').toBeLessThan(TOLERANCE);
    const grad = { dy: randomTensor(expected.shape, 11), input: randomTensor(x, 12) };
    const expectedGrad = await runKernelOn('cpu', 'AvgPoolGrad', grad, attrs);
    expect(maxRelativeError(await runKernelOn('wasm', 'AvgPoolGrad', grad, attrs), expectedGrad), 'AvgPoolGrad').toBeLessThan(TOLERANCE);
  });

  it.each([
    { name: '3x3, stride 2, same', x: [2, 9, 9, 16], filterSize: 3, strides: 2, pad: 'same' },
    { name: '3x3, stride 1, same (an inception pool branch)', x: [3, 7, 7, 24], filterSize: 3, strides: 1, pad: 'same' },
    { name: '2x2, stride 2, valid, 6 channels', x: [2, 8, 8, 6], filterSize: 2, strides: 2, pad: 'valid' },
  ])('MaxPoolGrad: $name', async ({ x, filterSize, strides, pad }) => {
    const attrs = { filterSize, strides, pad };
    const input = randomTensor(x, 13);
    const output = await runKernelOn('cpu', 'MaxPool', { x: input }, attrs);
    const grad = { dy: randomTensor(output.shape, 14), input, output };
    const expected = await runKernelOn('cpu', 'MaxPoolGrad', grad, attrs);
    expect(maxRelativeError(await runKernelOn('wasm', 'MaxPoolGrad', grad, attrs), expected)).toBeLessThan(TOLERANCE);
  });

  it('MaxPoolGrad routes a tied window\'s gradient to its first maximum, as tfjs', async () => {
    // Relu outputs: windows of zeros and repeated values.
    const input = { shape: [1, 4, 4, 16], values: Float32Array.from({ length: 256 }, (_, i) => Math.max(0, (i % 7) - 3)) };
    const attrs = { filterSize: 2, strides: 1, pad: 'same' };
    const output = await runKernelOn('cpu', 'MaxPool', { x: input }, attrs);
    const grad = { dy: randomTensor(output.shape, 15), input, output };
    const expected = await runKernelOn('cpu', 'MaxPoolGrad', grad, attrs);
    expect(maxRelativeError(await runKernelOn('wasm', 'MaxPoolGrad', grad, attrs), expected)).toBeLessThan(TOLERANCE);
  });

  it('a training step through a conv layer leaves no tensor behind and grows no wasm memory', async () => {
    await tf.setBackend('wasm');
    expectTrainingLeaksNothing(tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] }));
  });
});
