import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { copyRun, runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';

type TAttrs = { begin: number | number[]; size: number | number[] };

/**
 * wasm's Slice first copies the WHOLE input out of the heap (readSync), so taking a 32-image batch
 * from a 60,000-image tensor copies 188 MB. This one copies only the slice, through heap views.
 */
export function slice(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return runKernel(backend, 'Slice', { x }, attrs);
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size) as [number[], number[]];
  const out = backend.makeOutput(size, x.dtype);
  const count = tf.util.sizeFromShape(size);
  if (count === 0) return out;
  // Views only after makeOutput: an allocation can grow (and so detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const offset = tf.slice_util.computeFlatOffset(begin, strides);
    dst.set(src.subarray(offset, offset + count));
    return out;
  }
  const rank = size.length;
  const run = size[rank - 1] as number;
  const outer = count / run;
  // Only the last axis cut (channels of NHWC): evenly spaced runs, one wasm call.
  const leadingFull = size.slice(0, -1).every((d, i) => d === x.shape[i] && begin[i] === 0);
  const simd = leadingFull && x.dtype !== 'bool' ? getSimdKernels(backend) : null;
  if (simd != null) {
    simd.gatherRuns(heapOffset(backend, x) + 4 * (begin[rank - 1] as number), x.shape[rank - 1] as number, heapOffset(backend, out), run, outer);
    return out;
  }
  // Copy runs along the last axis; an odometer walks the outer axes.
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let r = 0; r < outer; r += 1) {
    let offset = begin[rank - 1] as number;
    for (let d = 0; d < rank - 1; d += 1) offset += ((begin[d] as number) + (index[d] as number)) * (strides[d] as number);
    copyRun(src, offset, dst, r * run, run);
    for (let d = rank - 2; d >= 0; d -= 1) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (size[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}

type TSplitAttrs = { numOrSizeSplits: number | number[]; axis: number };

/** wasm's SplitV calls its own Slice directly (the whole-input copy included); this one ours. */
export function splitV(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TSplitAttrs }): tf.TensorInfo[] {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0] as number;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const piece = slice({ inputs: { x }, backend, attrs: { begin: [...begin], size } });
    begin[axis] = (begin[axis] as number) + s;
    return piece;
  });
}
