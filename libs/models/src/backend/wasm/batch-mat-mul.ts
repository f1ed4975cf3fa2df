import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfos, runKernel, transpose } from './kernel-utils';

type TAttrs = { transposeA: boolean; transposeB: boolean };

/**
 * wasm's BatchMatMul uses XNNPACK only for un-transposed operands with one batch; every other
 * case runs a scalar triple loop. Dense-layer gradients are exactly those cases (dy·Wᵀ, xᵀ·dy),
 * so transpose explicitly (cheap, linear) and take the XNNPACK path.
 */
export function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo;
  const single = (t: tf.TensorInfo): boolean => t.shape.slice(0, -2).every((d) => d === 1);
  if ((!attrs.transposeA && !attrs.transposeB) || !single(a) || !single(b)) {
    return runKernel(backend, 'BatchMatMul', { a, b }, attrs);
  }
  const aa = attrs.transposeA ? transposeLast2(backend, a) : a;
  const bb = attrs.transposeB ? transposeLast2(backend, b) : b;
  const out = runKernel(backend, 'BatchMatMul', { a: aa, b: bb }, { transposeA: false, transposeB: false });
  if (aa !== a) disposeInfos(backend, aa);
  if (bb !== b) disposeInfos(backend, bb);
  return out;
}

function transposeLast2(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose(backend, x, perm);
}
