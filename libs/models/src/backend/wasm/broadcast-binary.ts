import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';
import type { TSimdKernels } from './simd/simd-kernels';

type TRowsOp = 'rowsAdd' | 'rowsSub' | 'rowsMul' | 'rowsDiv';

/**
 * wasm's binary kernels use XNNPACK only for operands of the same shape; broadcasting runs a
 * generic loop (5x slower). Bias adds and batch norm broadcast a [C] vector over [..., C]
 * activations every step; that case is a SIMD loop over rows here. float32 rounding is the
 * same (one IEEE operation per element), so the results are identical.
 */
function createRowsKernel(kernelName: string, op: TRowsOp) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap }): tf.TensorInfo => {
    const { backend } = args;
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const simd = a.dtype === 'float32' && b.dtype === 'float32' ? getSimdKernels(backend) : null;
    if (simd != null) {
      if (isRowVectorOf(b, a)) return rows(backend, simd, op, a, b, false);
      if (isRowVectorOf(a, b)) return rows(backend, simd, op, b, a, true);
    }
    return runKernel(backend, kernelName, { a, b }, args.attrs ?? {});
  };
}

/** v is a vector along big's last axis ([C], [1,C], [1,1,1,C]...) and big has more than one row. */
function isRowVectorOf(v: tf.TensorInfo, big: tf.TensorInfo): boolean {
  const n = big.shape.at(-1);
  if (n == null || v.shape.length > big.shape.length || v.shape.at(-1) !== n) return false;
  return v.shape.slice(0, -1).every((d) => d === 1) && big.shape.slice(0, -1).some((d) => d > 1);
}

function rows(backend: BackendWasm, simd: TSimdKernels, op: TRowsOp, big: tf.TensorInfo, vector: tf.TensorInfo, swapped: boolean): tf.TensorInfo {
  const out = backend.makeOutput(big.shape, 'float32');
  const n = big.shape.at(-1) as number;
  const count = tf.util.sizeFromShape(big.shape) / n;
  simd[op](heapOffset(backend, big), heapOffset(backend, vector), heapOffset(backend, out), count, n, swapped ? 1 : 0);
  return out;
}

export const add = createRowsKernel('Add', 'rowsAdd');
export const sub = createRowsKernel('Sub', 'rowsSub');
export const multiply = createRowsKernel('Multiply', 'rowsMul');
export const realDiv = createRowsKernel('RealDiv', 'rowsDiv');
