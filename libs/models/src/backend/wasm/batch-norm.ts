import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfos, runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';

type TAttrs = { varianceEpsilon: number };

/**
 * Batch normalization with per-channel ([C]) statistics, as BatchNormalization layers run it:
 * scale / sqrt(variance + epsilon) once per channel, then one SIMD pass (x - mean) * inv + offset.
 * wasm's own takes a square root and a division per element (1.5 ms for [32,28,28,16]).
 */
export function fusedBatchNorm(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const n = (x as tf.TensorInfo).shape.at(-1);
  const perChannel = (t: tf.TensorInfo | undefined): boolean => t == null || (t.dtype === 'float32' && t.shape.length === 1 && t.shape[0] === n);
  const simd = x?.dtype === 'float32' && n != null && n > 0 && [mean, variance, offset, scale].every(perChannel) && mean != null && variance != null ? getSimdKernels(backend) : null;
  if (simd == null || x == null || mean == null || variance == null || n == null) return runKernel(backend, 'FusedBatchNorm', args.inputs, attrs);
  const out = backend.makeOutput(x.shape, 'float32');
  const rows = tf.util.sizeFromShape(x.shape) / n;
  if (rows === 0) return out;
  const inv = backend.makeOutput([n], 'float32');
  const offsets = offset ?? backend.makeOutput([n], 'float32');
  // Views only after every allocation: an allocation can grow (and so detach) the heap.
  const v = backend.typedArrayFromHeap(variance) as Float32Array;
  const s = scale == null ? null : (backend.typedArrayFromHeap(scale) as Float32Array);
  const invValues = backend.typedArrayFromHeap(inv) as Float32Array;
  for (let c = 0; c < n; c += 1) invValues[c] = (s == null ? 1 : (s[c] as number)) / Math.sqrt((v[c] as number) + attrs.varianceEpsilon);
  if (offset == null) (backend.typedArrayFromHeap(offsets) as Float32Array).fill(0);
  simd.rowsNormalize(heapOffset(backend, x), heapOffset(backend, mean), heapOffset(backend, inv), heapOffset(backend, offsets), heapOffset(backend, out), rows, n);
  disposeInfos(backend, inv);
  if (offset == null) disposeInfos(backend, offsets);
  return out;
}
