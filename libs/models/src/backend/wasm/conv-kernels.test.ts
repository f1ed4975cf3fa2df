import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { unregisterOnednnConvKernels } from '../native/onednn-kernels';
import { maxRelativeError, randomTensor, runKernelOn } from '../testing/compare-backends';
import { CONV_CASES as CASES, convOutputShape as outputShape } from '../testing/conv-cases';
import type { TConvCase as TCase } from '../testing/conv-cases';
import { setWinogradEnabled } from './winograd';

const TOLERANCE = 1e-4;

describe('wasm conv gradient kernels agree with the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    unregisterOnednnConvKernels(); // ours, not oneDNN's (native/onednn-kernels.test.ts has those)
  });

  it.each(CASES)('Conv2D: $name', async (c) => {
    const inputs = { x: randomTensor(c.x, 5), filter: randomTensor(c.filter, 6) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1] };
    const expected = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
    expect(actual.shape).toEqual(outputShape(c));
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each([
    { activation: 'relu', bias: true },
    { activation: 'linear', bias: false },
    { activation: 'relu', bias: false },
    { activation: 'elu', bias: true }, // wasm's own kernel
  ])('FusedConv2D: $activation, bias $bias', async ({ activation, bias }) => {
    const c = CASES[0] as TCase;
    const filters = c.filter[3];
    const inputs = { x: randomTensor(c.x, 7), filter: randomTensor(c.filter, 8), ...(bias ? { bias: randomTensor([filters], 9) } : {}) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1], activation };
    const expected = await runKernelOn('cpu', 'FusedConv2D', inputs, attrs);
    const actual = await runKernelOn('wasm', 'FusedConv2D', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each([
    { filters: 16, activation: 'relu' },
    { filters: 10, activation: 'linear' }, // bias padded to 12 output columns
  ])('FusedConv2D by Winograd: $filters filters, $activation, bias', async ({ filters, activation }) => {
    const inputs = { x: randomTensor([3, 9, 10, 16], 21), filter: randomTensor([3, 3, 16, filters], 22), bias: randomTensor([filters], 23) };
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], activation };
    const expected = await runKernelOn('cpu', 'FusedConv2D', inputs, attrs);
    const actual = await runKernelOn('wasm', 'FusedConv2D', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  // Winograd rounds differently from a direct sum (transforms with factors 1/2, 1, -1), so it is
  // not bit-identical to the direct kernel; on these shapes the two differ by ~1e-6 of the largest
  // output (float32 epsilon 6e-8 times the transforms' few extra roundings and 9*C-term sums),
  // well inside TOLERANCE. This also shows the Winograd path is the one taken.
  it.each([
    { x: [3, 8, 8, 16], filter: [3, 3, 16, 16] },
    { x: [2, 4, 4, 128], filter: [3, 3, 128, 128] },
  ])('Conv2D by Winograd differs from the direct kernel only by rounding: x $x', async ({ x, filter }) => {
    const inputs = { x: randomTensor(x, 24), filter: randomTensor(filter, 25) };
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] };
    const winograd = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
    setWinogradEnabled(false);
    const direct = await runKernelOn('wasm', 'Conv2D', inputs, attrs).finally(() => setWinogradEnabled(true));
    const difference = maxRelativeError(winograd, direct);
    expect(difference).toBeGreaterThan(0);
    expect(difference).toBeLessThan(1e-5);
  });

  it.each([
    { x: [3, 8, 8, 16], filter: [3, 3, 16, 16] },
    { x: [2, 7, 9, 16], filter: [3, 3, 16, 12] },
  ])('Conv2DBackpropFilter by Winograd differs from the direct kernel only by rounding: x $x', async ({ x, filter }) => {
    const inputs = { x: randomTensor(x, 26), dy: randomTensor([...x.slice(0, 3), filter[3] as number], 27) };
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: filter };
    const winograd = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    setWinogradEnabled(false);
    const direct = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs).finally(() => setWinogradEnabled(true));
    const difference = maxRelativeError(winograd, direct);
    expect(difference).toBeGreaterThan(0);
    expect(difference).toBeLessThan(1e-5);
  });

  it('Conv2D with dilation 2 (wasm own kernel)', async () => {
    const inputs = { x: randomTensor([2, 9, 9, 3], 10), filter: randomTensor([3, 3, 3, 4], 11) };
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [2, 2] };
    const expected = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each(CASES)('Conv2DBackpropFilter: $name', async (c) => {
    const inputs = { x: randomTensor(c.x, 1), dy: randomTensor(outputShape(c), 2) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    expect(actual.shape).toEqual(c.filter);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each(CASES)('Conv2DBackpropInput: $name', async (c) => {
    const inputs = { dy: randomTensor(outputShape(c), 3), filter: randomTensor(c.filter, 4) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    expect(actual.shape).toEqual(c.x);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });
});

describe('wasm BatchMatMul agrees with the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const shapes: Array<[number[], number[], boolean, boolean]> = [
    [[32, 400], [400, 120], false, false],
    [[32, 120], [400, 120], false, true],
    [[32, 400], [32, 120], true, false],
    [[17, 33], [9, 17], true, true],
    [[1, 5, 7], [1, 5, 3], true, false],
    [[3, 5, 7], [3, 4, 7], false, true],
    [[7, 5], [5, 6], false, false],
    [[7, 5], [6, 5], false, true],
    [[5, 7], [5, 6], true, false],
    [[1, 9], [9, 1], false, false],
    [[2048, 6], [6, 5], false, false], // rows in chunks of 1024
    [[1, 2, 3], [1, 3, 4], false, false],
  ];
  it.each(shapes)('a %j b %j transposeA %s transposeB %s', async (aShape, bShape, transposeA, transposeB) => {
    const inputs = { a: randomTensor(aShape, 5), b: randomTensor(bShape, 6) };
    const attrs = { transposeA, transposeB };
    const expected = await runKernelOn('cpu', 'BatchMatMul', inputs, attrs);
    const actual = await runKernelOn('wasm', 'BatchMatMul', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });
});

describe('wasm _FusedMatMul agrees with the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each([
    // Rank 3, as tf.fused.matMul hands them to the kernel.
    { activation: 'relu', bias: true, a: [1, 5, 7], b: [1, 7, 6] }, // k < 32: wasm's own kernel
    { activation: 'relu', bias: true, a: [1, 32, 40], b: [1, 40, 10] },
    { activation: 'linear', bias: true, a: [1, 32, 40], b: [1, 40, 10] },
    { activation: 'linear', bias: false, a: [1, 3, 33], b: [1, 33, 8] },
    { activation: 'sigmoid', bias: true, a: [1, 4, 40], b: [1, 40, 12] }, // wasm's own kernel
  ])('$activation, bias $bias, a $a, b $b', async ({ activation, bias, a, b }) => {
    const n = b[2] as number;
    const inputs = { a: randomTensor(a, 12), b: randomTensor(b, 13), ...(bias ? { bias: randomTensor([n], 14) } : {}) };
    const attrs = { transposeA: false, transposeB: false, activation };
    const expected = await runKernelOn('cpu', '_FusedMatMul', inputs, attrs);
    const actual = await runKernelOn('wasm', '_FusedMatMul', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });
});

describe('wasm depthwise conv gradient kernels agree with the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const cases = [
    { name: '3x3 same, multiplier 1 (separable conv)', x: [2, 7, 7, 4], filter: [3, 3, 4, 1], strides: [1, 1], pad: 'same', dilations: [1, 1] },
    { name: '3x3 stride 2 same, odd input', x: [2, 9, 8, 3], filter: [3, 3, 3, 1], strides: [2, 2], pad: 'same', dilations: [1, 1] },
    { name: '5x5 valid, multiplier 2', x: [2, 9, 9, 3], filter: [5, 5, 3, 2], strides: [1, 1], pad: 'valid', dilations: [1, 1] },
  ] as const;
  const outShape = (c: (typeof cases)[number]): number[] => {
    const [b, h, w, ci] = c.x;
    const [kh, kw, , m] = c.filter;
    const size = (n: number, k: number, s: number): number => (c.pad === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
    return [b, size(h, kh, c.strides[0]), size(w, kw, c.strides[1]), ci * m];
  };

  it.each(cases)('DepthwiseConv2dNativeBackpropFilter: $name', async (c) => {
    const inputs = { x: randomTensor([...c.x], 31), dy: randomTensor(outShape(c), 32) };
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, filterShape: c.filter };
    const expected = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
    const actual = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each(cases)('DepthwiseConv2dNativeBackpropInput: $name', async (c) => {
    const inputs = { dy: randomTensor(outShape(c), 33), filter: randomTensor([...c.filter], 34) };
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, inputShape: c.x };
    const expected = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropInput', inputs, attrs);
    const actual = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });
});
