import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { maxRelativeError, randomTensor, runKernelOn } from '../testing/compare-backends';
import type { THostTensor } from '../testing/compare-backends';

const asDtype = (t: THostTensor, dtype: 'float32' | 'int32' | 'bool'): THostTensor => {
  if (dtype === 'float32') return t;
  const values = dtype === 'int32' ? Int32Array.from(t.values, (v) => Math.round(v * 1000)) : Uint8Array.from(t.values, (v) => (v > 0 ? 1 : 0));
  return { shape: t.shape, values, dtype };
};

async function expectIdentical(kernel: string, inputs: Record<string, THostTensor>, attrs: Record<string, unknown> = {}): Promise<void> {
  const expected = await runKernelOn('cpu', kernel, inputs, attrs);
  const actual = await runKernelOn('wasm', kernel, inputs, attrs);
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
}

describe('wasm broadcasting binary kernels, Mean and Concat agree with the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  // One IEEE operation per element: the same float32 results as the cpu backend, exactly.
  it.each(['Add', 'Sub', 'Multiply', 'RealDiv'])('%s: a [C] vector over [B,H,W,C], either side', async (kernel) => {
    const big = randomTensor([3, 4, 5, 6], 1);
    const vector = randomTensor([6], 2);
    await expectIdentical(kernel, { a: big, b: vector });
    await expectIdentical(kernel, { a: vector, b: big });
    await expectIdentical(kernel, { a: randomTensor([1, 1, 1, 8], 3), b: randomTensor([2, 3, 3, 8], 4) });
  });

  it.each([
    { name: 'same shapes (XNNPACK)', a: [4, 5], b: [4, 5] },
    { name: 'scalar', a: [4, 5], b: [] },
    { name: 'column vector', a: [4, 5], b: [4, 1] },
    { name: 'outer broadcast', a: [1, 5], b: [4, 1] },
    { name: 'one column', a: [6, 1], b: [1] },
  ])('Add and Sub, other broadcasts: $name', async ({ a, b }) => {
    await expectIdentical('Add', { a: randomTensor(a, 5), b: randomTensor(b, 6) });
    await expectIdentical('Sub', { a: randomTensor(b, 7), b: randomTensor(a, 8) });
  });

  it('Add of int32 tensors (wasm own kernel)', async () => {
    await expectIdentical('Add', { a: asDtype(randomTensor([3, 4], 9), 'int32'), b: asDtype(randomTensor([4], 10), 'int32') });
  });

  it.each([
    { shape: [3, 5, 4, 7], axis: [0, 1, 2], keepDims: false },
    { shape: [3, 5, 4, 7], axis: [2, 1, 0], keepDims: true },
    { shape: [200, 9], axis: 0, keepDims: false },
    { shape: [3, 5, 4], axis: [1], keepDims: false },
    { shape: [3, 5, 4], axis: [0, 1, 2], keepDims: false },
    // global average pooling
    { shape: [4, 5, 5, 16], axis: [1, 2], keepDims: false },
    { shape: [2, 3, 7, 9], axis: [2, 1], keepDims: true },
  ])('Mean over $axis of $shape', async ({ shape, axis, keepDims }) => {
    const x = randomTensor(shape, 11);
    const expected = await runKernelOn('cpu', 'Mean', { x }, { axis, keepDims });
    const actual = await runKernelOn('wasm', 'Mean', { x }, { axis, keepDims });
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual, expected)).toBeLessThan(1e-5);
  });

  it.each([
    { name: 'inception outputs on the channel axis', shapes: [[2, 3, 3, 4], [2, 3, 3, 6], [2, 3, 3, 1], [2, 3, 3, 5]], axis: 3, dtype: 'float32' },
    { name: 'negative axis', shapes: [[2, 3, 4], [2, 3, 2]], axis: -1, dtype: 'float32' },
    { name: 'middle axis', shapes: [[2, 3, 4], [2, 5, 4], [2, 1, 4]], axis: 1, dtype: 'float32' },
    { name: 'first axis (contiguous blocks)', shapes: [[2, 3], [4, 3]], axis: 0, dtype: 'float32' },
    { name: 'an empty input', shapes: [[2, 3], [2, 0], [2, 2]], axis: 1, dtype: 'float32' },
    { name: 'int32', shapes: [[3, 2], [3, 5]], axis: 1, dtype: 'int32' },
    { name: 'bool', shapes: [[3, 2], [3, 3]], axis: 1, dtype: 'bool' },
  ] as const)('Concat: $name', async ({ shapes, axis, dtype }) => {
    const parts = shapes.map((s, i) => asDtype(randomTensor([...s], 20 + i), dtype));
    const run = async (backend: string): Promise<THostTensor> => {
      await tf.setBackend(backend);
      const tensors = parts.map((p) => tf.tensor(p.values, p.shape, p.dtype ?? 'float32'));
      const out = tf.concat(tensors, axis);
      const host = { shape: out.shape, values: (await out.data()) as THostTensor['values'], dtype: out.dtype as THostTensor['dtype'] };
      tf.dispose([...tensors, out]);
      return host;
    };
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.dtype).toBe(expected.dtype);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });

  it.each([
    { name: 'scale and offset', scale: true, offset: true },
    { name: 'no scale', scale: false, offset: true },
    { name: 'neither', scale: false, offset: false },
  ])('FusedBatchNorm, per-channel statistics: $name', async ({ scale, offset }) => {
    const c = 6;
    const positive = (t: THostTensor): THostTensor => ({ ...t, values: Float32Array.from(t.values, (v) => v + 1.5) });
    const inputs: Record<string, THostTensor> = { x: randomTensor([2, 3, 4, c], 30), mean: randomTensor([c], 31), variance: positive(randomTensor([c], 32)) };
    if (scale) inputs.scale = randomTensor([c], 33);
    if (offset) inputs.offset = randomTensor([c], 34);
    const attrs = { varianceEpsilon: 1e-3 };
    const expected = await runKernelOn('cpu', 'FusedBatchNorm', inputs, attrs);
    const actual = await runKernelOn('wasm', 'FusedBatchNorm', inputs, attrs);
    expect(maxRelativeError(actual, expected)).toBeLessThan(1e-5);
  });

  it('FusedBatchNorm with broadcast-shaped statistics (wasm own kernel)', async () => {
    const inputs = { x: randomTensor([2, 3, 4], 35), mean: randomTensor([3, 1], 36), variance: { ...randomTensor([3, 1], 37), values: Float32Array.from([1, 2, 3]) } };
    const expected = await runKernelOn('cpu', 'FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 });
    const actual = await runKernelOn('wasm', 'FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 });
    expect(maxRelativeError(actual, expected)).toBeLessThan(1e-5);
  });

  it.each([
    { from: 'float32', to: 'float32' },
    { from: 'int32', to: 'int32' },
    { from: 'float32', to: 'int32' },
    { from: 'bool', to: 'float32' },
  ] as const)('Cast $from to $to', async ({ from, to }) => {
    await expectIdentical('Cast', { x: asDtype(randomTensor([3, 5], 40), from) }, { dtype: to });
  });
});
