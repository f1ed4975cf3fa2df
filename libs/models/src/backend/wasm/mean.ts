import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfos, runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';
import { sum } from './sum';

type TAttrs = { axis: number | number[]; keepDims: boolean };

/**
 * Mean over every axis but the last (batch-norm moments, global average pooling gradients' sums)
 * or over H and W of NHWC (global average pooling): our SIMD column sums (sum.ts), then each sum
 * divided by the count; wasm's Mean transposes first (0.85 vs 0.17 ms for [32,28,28,16]). Other
 * reductions go to wasm's own.
 */
export function mean(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = rank >= 2 && x.dtype === 'float32' && axes.length === rank - 1 && axes.every((a, i) => a === i);
  const spatial = rank === 4 && x.dtype === 'float32' && axes.length === 2 && axes[0] === 1 && axes[1] === 2;
  if (spatial) {
    const simd = getSimdKernels(backend);
    if (simd != null) return globalAverage(backend, simd, x, attrs.keepDims);
  }
  if (!leading) return runKernel(backend, 'Mean', { x }, attrs);
  const sums = sum({ inputs: { x }, backend, attrs });
  const count = tf.util.sizeFromShape(x.shape) / (x.shape[rank - 1] as number);
  const out = backend.makeOutput(sums.shape, 'float32');
  const src = backend.typedArrayFromHeap(sums) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < dst.length; i += 1) dst[i] = (src[i] as number) / count;
  disposeInfos(backend, sums);
  return out;
}

/**
 * Global average pooling ([B,H,W,C] over H and W, the head of ResNet, GoogLeNet and transfer):
 * each image's column sums; wasm's Mean transposes first.
 */
function globalAverage(backend: BackendWasm, simd: NonNullable<ReturnType<typeof getSimdKernels>>, x: tf.TensorInfo, keepDims: boolean): tf.TensorInfo {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const out = backend.makeOutput(keepDims ? [b, 1, 1, c] : [b, c], 'float32');
  const partial = backend.makeOutput([c], 'float32');
  const [xAt, outAt, partialAt] = [heapOffset(backend, x), heapOffset(backend, out), heapOffset(backend, partial)];
  for (let i = 0; i < b; i++) simd.columnSums(xAt + i * h * w * c * 4, h * w, c, outAt + i * c * 4, partialAt);
  disposeInfos(backend, partial);
  const values = backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / (h * w);
  return out;
}
