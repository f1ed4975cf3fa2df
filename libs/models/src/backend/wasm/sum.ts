import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfos, runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';

type TAttrs = { axis: number | number[]; keepDims: boolean };

/**
 * Sums over every axis but the last (bias gradients: [B,H,W,C] -> [C]) as SIMD column sums;
 * wasm's Sum first transposes the reduced axes to the end. Other reductions go to wasm's own.
 */
export function sum(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  const simd = leading && x.dtype === 'float32' ? getSimdKernels(backend) : null;
  if (simd == null) return runKernel(backend, 'Sum', { x }, attrs);
  const n = x.shape[rank - 1] as number;
  const rows = tf.util.sizeFromShape(x.shape) / n;
  const out = backend.makeOutput(attrs.keepDims ? [...Array<number>(rank - 1).fill(1), n] : [n], 'float32');
  const partial = backend.makeOutput([n], 'float32');
  simd.columnSums(heapOffset(backend, x), rows, n, heapOffset(backend, out), heapOffset(backend, partial));
  disposeInfos(backend, partial);
  return out;
}
