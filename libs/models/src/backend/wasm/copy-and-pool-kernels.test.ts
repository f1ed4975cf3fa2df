import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { maxRelativeError, randomTensor, runKernelOn } from '../testing/compare-backends';
import type { THostTensor } from '../testing/compare-backends';

const TOLERANCE = 1e-4;

async function expectSameOnWasmAndCpu(kernel: string, inputs: Record<string, THostTensor>, attrs: Record<string, unknown>): Promise<void> {
  const expected = await runKernelOn('cpu', kernel, inputs, attrs);
  const actual = await runKernelOn('wasm', kernel, inputs, attrs);
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  expect(maxRelativeError(actual, expected)).toBeLessThan(TOLERANCE);
}

const ints = (shape: number[], max: number, seed: number): THostTensor => {
  const r = randomTensor(shape, seed);
  return { shape, dtype: 'int32', values: Int32Array.from(r.values, (v) => Math.floor(((v + 1) / 2) * max)) };
};

describe('wasm copy and pooling kernels agree with the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each([
    { name: 'batch rows (contiguous)', shape: [50, 28, 28, 1], begin: [7, 0, 0, 0], size: [32, -1, -1, -1] },
    { name: 'channels of NHWC (short runs)', shape: [3, 5, 6, 8], begin: [0, 1, 2, 3], size: [3, 3, 2, 4] },
    { name: 'conv-kernel crop', shape: [6, 7, 7, 16], begin: [0, 0, 0, 0], size: [6, 5, 5, 16] },
    { name: 'rank 1', shape: [100], begin: [13], size: [50] },
    { name: 'rank 2 columns', shape: [40, 70], begin: [3, 10], size: [20, 45] },
    { name: 'rank 5', shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 2, 1], size: [1, 3, 2, 2, 5] },
    { name: 'channels 5..12 of NHWC (concat gradient, one wasm call)', shape: [3, 6, 7, 16], begin: [0, 0, 0, 5], size: [-1, -1, -1, 7] },
  ])('Slice: $name', async ({ shape, begin, size }) => {
    await expectSameOnWasmAndCpu('Slice', { x: randomTensor(shape, 7) }, { begin, size });
  });

  it.each([
    { name: 'channel pieces of NHWC (concat gradient)', shape: [2, 5, 5, 12], numOrSizeSplits: [3, 5, 4], axis: 3 },
    { name: 'equal pieces along rows', shape: [6, 10], numOrSizeSplits: 3, axis: 0 },
    { name: 'inferred size (-1) along axis 1', shape: [4, 9, 2], numOrSizeSplits: [2, -1, 3], axis: 1 },
  ])('SplitV: $name', async ({ shape, numOrSizeSplits, axis }) => {
    const x = randomTensor(shape, 18);
    const pieces = async (backend: string): Promise<THostTensor[]> => {
      await tf.setBackend(backend);
      const t = tf.tensor(x.values, x.shape);
      const outs = tf.engine().runKernel('SplitV', { x: t }, { numOrSizeSplits, axis }) as unknown as tf.Tensor[];
      const host = await Promise.all(outs.map(async (o) => ({ shape: o.shape, values: (await o.data()) as Float32Array })));
      tf.dispose([t, ...outs]);
      return host;
    };
    const expected = await pieces('cpu');
    const actual = await pieces('wasm');
    expect(actual.map((p) => p.shape)).toEqual(expected.map((p) => p.shape));
    actual.forEach((p, i) => expect(maxRelativeError(p, expected[i] as THostTensor)).toBe(0));
  });

  it('Slice of int32 values', async () => {
    await expectSameOnWasmAndCpu('Slice', { x: ints([9, 40], 1000, 8) }, { begin: [2, 3], size: [4, 30] });
    await expectSameOnWasmAndCpu('Slice', { x: ints([9, 40], 1000, 8) }, { begin: [0, 3], size: [9, 30] });
  });

  it.each([
    { name: 'batch of images (axis 0)', x: [60, 28, 28, 1], indices: [32], dim: 60, axis: 0, batchDims: 0 },
    { name: 'one-hot rows', x: [100, 10], indices: [32], dim: 100, axis: 0, batchDims: 0 },
    { name: 'axis 1', x: [4, 9, 3], indices: [5], dim: 9, axis: 1, batchDims: 0 },
    { name: 'last axis, 2-D indices', x: [3, 4, 11], indices: [2, 6], dim: 11, axis: 2, batchDims: 0 },
    { name: 'batchDims 1', x: [3, 8, 5], indices: [3, 4], dim: 8, axis: 1, batchDims: 1 },
  ])('GatherV2: $name', async ({ x, indices, dim, axis, batchDims }) => {
    await expectSameOnWasmAndCpu('GatherV2', { x: randomTensor(x, 9), indices: ints(indices, dim, 10) }, { axis, batchDims });
  });

  it('GatherV2 of int32 values', async () => {
    await expectSameOnWasmAndCpu('GatherV2', { x: ints([20, 3], 99, 11), indices: ints([7], 20, 12) }, { axis: 0, batchDims: 0 });
  });

  it('GatherV2 rejects an index out of range', async () => {
    const bad = { shape: [2], dtype: 'int32' as const, values: Int32Array.from([1, 5]) };
    await expect(runKernelOn('wasm', 'GatherV2', { x: randomTensor([4, 3], 1), indices: bad }, { axis: 0, batchDims: 0 })).rejects.toThrow(/index value 5/);
  });

  const pool = (input: number[], filterSize: number, strides: number, pad: 'same' | 'valid'): number[] => {
    const [b, h, w, c] = input as [number, number, number, number];
    const size = (n: number): number => (pad === 'same' ? Math.ceil(n / strides) : Math.floor((n - filterSize) / strides) + 1);
    return [b, size(h), size(w), c];
  };
  it.each([
    { name: 'lenet pool 1 (2/2 valid)', input: [4, 28, 28, 6], filterSize: 2, strides: 2, pad: 'valid' as const },
    { name: 'lenet pool 2 (2/2 valid)', input: [4, 10, 10, 16], filterSize: 2, strides: 2, pad: 'valid' as const },
    { name: 'odd size drops the last row (2/2 valid)', input: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'valid' as const },
    { name: 'odd size, same padding (2/2 same)', input: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'same' as const },
    { name: '3/3 valid', input: [2, 12, 11, 4], filterSize: 3, strides: 3, pad: 'valid' as const },
    { name: 'overlapping 3/2 same (backend kernel)', input: [2, 9, 9, 3], filterSize: 3, strides: 2, pad: 'same' as const },
    { name: 'overlapping 3/1 same (backend kernel)', input: [2, 6, 6, 3], filterSize: 3, strides: 1, pad: 'same' as const },
  ])('AvgPoolGrad: $name', async ({ input, filterSize, strides, pad }) => {
    const inputs = { dy: randomTensor(pool(input, filterSize, strides, pad), 13), input: randomTensor(input, 14) };
    await expectSameOnWasmAndCpu('AvgPoolGrad', inputs, { filterSize, strides, pad });
  });

  it.each([
    { name: '2/2 valid', input: [2, 8, 8, 3], filterSize: 2, strides: 2, pad: 'valid' as const },
    { name: '2/2 same, odd input', input: [2, 7, 7, 3], filterSize: 2, strides: 2, pad: 'same' as const },
    { name: '3/2 valid (alexnet)', input: [2, 11, 11, 4], filterSize: 3, strides: 2, pad: 'valid' as const },
    { name: '3/2 same', input: [2, 9, 10, 2], filterSize: 3, strides: 2, pad: 'same' as const },
    { name: '3/1 same (inception pool branch)', input: [2, 6, 6, 3], filterSize: 3, strides: 1, pad: 'same' as const },
    { name: '3/2 same, 6 channels (SIMD lanes and tail)', input: [2, 9, 9, 6], filterSize: 3, strides: 2, pad: 'same' as const },
  ])('MaxPoolGrad: $name', async ({ input, filterSize, strides, pad }) => {
    const x = randomTensor(input, 15);
    const attrs = { filterSize, strides, pad };
    const output = await runKernelOn('cpu', 'MaxPool', { x }, attrs);
    const inputs = { dy: randomTensor(output.shape, 16), input: x, output };
    await expectSameOnWasmAndCpu('MaxPoolGrad', inputs, attrs);
  });

  it.each([
    { name: 'conv bias gradient [B,H,W,C] -> [C]', shape: [8, 28, 28, 6], axis: [0, 1, 2], keepDims: false },
    { name: 'dense bias gradient, 3 columns of 5 rows', shape: [5, 3], axis: [0], keepDims: false },
    { name: 'leading axes given unsorted, keepDims', shape: [4, 6, 10], axis: [1, 0], keepDims: true },
    { name: 'many rows (blocked partial sums)', shape: [3000, 7], axis: 0, keepDims: false },
    { name: 'last axis (backend kernel)', shape: [6, 9], axis: 1, keepDims: false },
    { name: 'all axes (backend kernel)', shape: [6, 9], axis: [0, 1], keepDims: false },
  ])('Sum: $name', async ({ shape, axis, keepDims }) => {
    await expectSameOnWasmAndCpu('Sum', { x: randomTensor(shape, 17) }, { axis, keepDims });
  });
});
