import * as tf from '@tensorflow/tfjs';

export type THostTensor = { shape: number[]; values: Float32Array | Int32Array | Uint8Array; dtype?: 'float32' | 'int32' | 'bool' };

/** Deterministic pseudo-random values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomTensor(shape: number[], seed: number): THostTensor {
  let state = seed >>> 0;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return { shape, values };
}

/** Runs one kernel through the engine on the given backend and returns its output on the host. */
export async function runKernelOn(
  backend: string,
  kernelName: string,
  inputs: Record<string, THostTensor>,
  attrs: Record<string, unknown>,
): Promise<THostTensor> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not initialise`);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape, t.dtype ?? 'float32');
  try {
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    try {
      return { shape: out.shape, values: (await out.data()) as THostTensor['values'], dtype: out.dtype as THostTensor['dtype'] };
    } finally {
      out.dispose();
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Largest |a-b| divided by the largest |expected| (1 when expected is all zeros). */
export function maxRelativeError(actual: THostTensor, expected: THostTensor): number {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new Error(`shape ${actual.shape.join('x')} differs from expected ${expected.shape.join('x')}`);
  }
  let scale = 0;
  for (const v of expected.values) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.values.length; i += 1) {
    const diff = Math.abs((actual.values[i] as number) - (expected.values[i] as number));
    if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, diff);
  }
  return worst / (scale || 1);
}
