import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { randomTensor, runKernelOn } from '../testing/compare-backends';
import type { THostTensor } from '../testing/compare-backends';

describe('wasm Tile agrees with the cpu backend exactly', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const asDtype = (t: THostTensor, dtype: 'float32' | 'int32' | 'bool'): THostTensor => {
    if (dtype === 'float32') return t;
    const values = dtype === 'int32' ? Int32Array.from(t.values, (v) => Math.round(v * 1000)) : Uint8Array.from(t.values, (v) => (v > 0 ? 1 : 0));
    return { shape: t.shape, values, dtype };
  };

  it.each([
    { name: 'batch-norm gradient: [1,1,1,C] to an activation', shape: [1, 1, 1, 5], reps: [3, 4, 6, 1], dtype: 'float32' },
    { name: 'every axis repeated', shape: [2, 3, 4], reps: [3, 2, 2], dtype: 'float32' },
    { name: 'last axis repeated, long rows', shape: [3, 40], reps: [2, 3], dtype: 'float32' },
    { name: 'no repetition', shape: [4, 5, 6], reps: [1, 1, 1], dtype: 'float32' },
    { name: 'rank 1', shape: [7], reps: [5], dtype: 'float32' },
    { name: 'rank 5', shape: [2, 1, 3, 1, 17], reps: [1, 3, 1, 2, 2], dtype: 'float32' },
    { name: 'many short rows (wasm own loop)', shape: [50, 1], reps: [1, 3], dtype: 'float32' },
    { name: 'int32', shape: [1, 3, 20], reps: [4, 2, 1], dtype: 'int32' },
    { name: 'bool', shape: [2, 24], reps: [3, 2], dtype: 'bool' },
    { name: 'zero repetitions', shape: [3, 4], reps: [0, 2], dtype: 'float32' },
  ] as const)('$name', async ({ shape, reps, dtype }) => {
    const x = asDtype(randomTensor([...shape], 3), dtype);
    const expected = await runKernelOn('cpu', 'Tile', { x }, { reps });
    const actual = await runKernelOn('wasm', 'Tile', { x }, { reps });
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.dtype).toBe(expected.dtype);
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });
});
