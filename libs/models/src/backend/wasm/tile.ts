import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { copyRun, runKernel } from './kernel-utils';

type TAttrs = { reps: number[] };
type TTypedArray = Float32Array | Int32Array | Uint8Array;

/**
 * wasm's Tile computes a source index per output element (~30 ns each). The batch-norm gradient
 * tiles a [1,1,1,C] vector to the whole activation every step (37% of ResNet's kernel time).
 * Here each input row is copied once and every repetition is a block copy that doubles what is
 * already written (copyWithin, a memmove), so a tile costs about as much as writing its output.
 */
export function tile(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const rank = x.shape.length;
  if (x.dtype === 'string' || rank === 0 || attrs.reps.length !== rank) return runKernel(backend, 'Tile', { x }, attrs);
  const inShape = x.shape;
  const reps = attrs.reps;
  const outShape = inShape.map((d, i) => d * (reps[i] as number));
  // One JS call per input row: for many short rows wasm's own loop is cheaper.
  const rows = inShape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (rows * 16 > outShape.reduce((a, b) => a * b, 1)) return runKernel(backend, 'Tile', { x }, attrs);
  const out = backend.makeOutput(outShape, x.dtype);
  if (outShape.some((d) => d === 0)) return out;
  // Views only after makeOutput: an allocation can grow (and so detach) the heap.
  const src = backend.typedArrayFromHeap(x) as TTypedArray;
  const dst = backend.typedArrayFromHeap(out) as TTypedArray;
  const inStrides = new Array<number>(rank);
  const outBlock = new Array<number>(rank);
  inStrides[rank - 1] = 1;
  outBlock[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d -= 1) {
    inStrides[d] = (inStrides[d + 1] as number) * (inShape[d + 1] as number);
    outBlock[d] = (outBlock[d + 1] as number) * (outShape[d + 1] as number);
  }

  /** The block at dst[at..at+len) repeated `times` times in all, by doubling copies. */
  const repeat = (at: number, len: number, times: number): void => {
    const total = len * times;
    for (let filled = len; filled < total; ) {
      const n = Math.min(filled, total - filled);
      dst.copyWithin(at + filled, at, at + n);
      filled += n;
    }
  };
  const fill = (d: number, from: number, to: number): void => {
    const n = inShape[d] as number;
    if (d === rank - 1) copyRun(src, from, dst, to, n);
    else for (let i = 0; i < n; i += 1) fill(d + 1, from + i * (inStrides[d] as number), to + i * (outBlock[d] as number));
    repeat(to, n * (outBlock[d] as number), reps[d] as number);
  };
  fill(0, 0, 0);
  return out;
}
