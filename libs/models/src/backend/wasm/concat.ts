import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';

const BYTES: Record<string, number | undefined> = { float32: 4, int32: 4, bool: 1 };

/**
 * wasm's Concat computes every output index in JS (6 ms for four [32,28,28,16] on the channel
 * axis; GoogLeNet concatenates 9 times a step). Seen as [outer, inner_i] blocks, each input is
 * `outer` runs copied into its column of the output: one strided-copy call per input.
 */
export function concat(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: { axis: number } }): tf.TensorInfo {
  const { backend, attrs } = args;
  const inputs = Object.values(args.inputs) as tf.TensorInfo[];
  const first = inputs[0];
  const bytes = first == null ? undefined : BYTES[first.dtype];
  const simd = bytes == null || inputs.some((t) => t.dtype !== first?.dtype) ? null : getSimdKernels(backend);
  if (simd == null || first == null || bytes == null) return runKernel(backend, 'Concat', args.inputs, attrs);
  const axis = tf.util.parseAxisParam(attrs.axis, first.shape)[0] as number;
  const shapes = inputs.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const out = backend.makeOutput(tf.backend_util.computeOutShape(shapes, axis), first.dtype);
  const outer = tf.util.sizeFromShape(first.shape.slice(0, axis));
  const inners = inputs.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
  const total = inners.reduce((x, y) => x + y, 0);
  const outAt = heapOffset(backend, out);
  let column = 0;
  inputs.forEach((t, i) => {
    const inner = inners[i] as number;
    if (inner > 0 && outer > 0) simd.copyRuns(heapOffset(backend, t), inner * bytes, outAt + column * bytes, total * bytes, inner * bytes, outer);
    column += inner;
  });
  return out;
}
