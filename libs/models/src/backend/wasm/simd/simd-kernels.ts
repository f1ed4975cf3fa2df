import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { SIMD_KERNELS_WASM_BASE64 } from './simd-kernels-binary';

/** Exports of kernels.wat; pointers are byte offsets into the wasm backend's heap. */
export type TSimdKernels = {
  adam(
    value: number, grad: number, m: number, v: number, outValue: number, outM: number, outV: number, n: number,
    b1: number, omb1: number, b2: number, omb2: number, omAcc1: number, omAcc2: number, eps: number, negLr: number,
  ): void;
  col2im(
    cols: number, dx: number, batch: number, outHeight: number, outWidth: number, filterHeight: number, filterWidth: number,
    inChannels: number, inHeight: number, inWidth: number, strideHeight: number, strideWidth: number, padTop: number, padLeft: number,
  ): void;
  avgPoolGradTiles(
    dy: number, dx: number, batch: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number,
    strideHeight: number, strideWidth: number, rows: number, cols: number, scale: number,
  ): void;
  /** out[n] = sums over rows of x [rows, n]; partial is scratch space of n floats. */
  columnSums(x: number, rows: number, n: number, out: number, partial: number): void;
  maxPoolGrad(
    x: number, dy: number, dx: number, batch: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number,
    filterHeight: number, filterWidth: number, strideHeight: number, strideWidth: number, padTop: number, padLeft: number,
  ): void;
  /** count runs of `run` floats, `stride` floats apart, packed into dst. */
  gatherRuns(src: number, stride: number, dst: number, run: number, count: number): void;
  /**
   * dw[k, j, co] += sum over images [b0, b1) and output pixels of xp[b, oy*sh+k, ox*sw*cin+j] * dy[b, oy, ox, co];
   * xp zero-padded (3 floats of slack after it), jn and con multiples of 4; accumulate 0: dw = the sums. See kernels.wat.
   */
  convFilterGrad(
    xp: number, dy: number, dw: number, b0: number, b1: number, hp: number, xrow: number, cin: number,
    oh: number, ow: number, con: number, kh: number, jn: number, sh: number, sw: number, accumulate: number,
  ): void;
  /**
   * out[b, p, co] = bias[co] + sum over k < kh, j < krow of xp[b*imageFloats + table[p]/4 + k*xrow + j] * w[k, j, co],
   * then relu if asked; table holds byte offsets, con is a multiple of 4, bias 0 for none. See kernels.wat.
   */
  convForward(
    xp: number, w: number, bias: number, out: number, table: number, b0: number, b1: number, npix: number,
    imageFloats: number, xrow: number, kh: number, krow: number, con: number, relu: number,
  ): void;
  /**
   * Winograd F(2x2,3x3) input transform: v[e, t, c] = (Bᵀ d B)[e] of the 4x4 patch of tile t (th x tw
   * tiles per image, images [b0, b1) of xp), planes `plane` floats apart, cin a multiple of 4. See kernels.wat.
   */
  winogradInput(xp: number, v: number, b0: number, b1: number, imageFloats: number, xrow: number, cin: number, th: number, tw: number, plane: number): void;
  /** out[b, 2ty+i, 2tx+j, co] = (Aᵀ m A)[i, j] + bias[co] (relu if asked) for tiles t of images [b0, b1); con a multiple of 4. */
  winogradOutput(
    m: number, bias: number, out: number, b0: number, b1: number, th: number, tw: number, oh: number, ow: number, con: number, plane: number, relu: number,
  ): void;
  /** Filter-gradient transform of dy's 2x2 blocks (zero-padded to even sizes): u[e, t, c] = (A g Aᵀ)[e]; tiles and planes as winogradInput. */
  winogradGradOutput(dy: number, u: number, b0: number, b1: number, imageFloats: number, dyrow: number, con: number, th: number, tw: number, plane: number): void;
  /** count runs of runBytes bytes, srcStride bytes apart in src, dstStride bytes apart in dst. */
  copyRuns(src: number, srcStride: number, dst: number, dstStride: number, runBytes: number, count: number): void;
  /** out[r, j] = a[r, j] op b[j] for r < rows, j < n (float32); swapped (1): b[j] op a[r, j]. */
  rowsAdd(a: number, b: number, out: number, rows: number, n: number, swapped: number): void;
  rowsSub(a: number, b: number, out: number, rows: number, n: number, swapped: number): void;
  rowsMul(a: number, b: number, out: number, rows: number, n: number, swapped: number): void;
  rowsDiv(a: number, b: number, out: number, rows: number, n: number, swapped: number): void;
  /** out[r, j] = (x[r, j] - mean[j]) * inv[j] + offset[j] (float32). */
  rowsNormalize(x: number, mean: number, inv: number, offset: number, out: number, rows: number, n: number): void;
  /** dst[c*stride + r] = src[r, c] for a row-major [rows, cols] matrix of 32-bit values. */
  transpose2d(src: number, dst: number, rows: number, cols: number, stride: number): void;
  /** [a, b, run] -> [b, a, run] (float32). */
  swapOuterAxes(src: number, dst: number, a: number, b: number, run: number): void;
};

const instances = new WeakMap<BackendWasm, TSimdKernels | null>();

/**
 * Our SIMD kernels, instantiated on the backend's own memory so they read and write tensors in
 * place; null where that memory is not reachable or the engine lacks wasm SIMD (callers then
 * use their JS loops).
 */
export function getSimdKernels(backend: BackendWasm): TSimdKernels | null {
  let kernels = instances.get(backend);
  if (kernels !== undefined) return kernels;
  kernels = null;
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (memory instanceof WebAssembly.Memory) {
    try {
      const bytes = Uint8Array.from(atob(SIMD_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
      kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as TSimdKernels;
    } catch {
      kernels = null;
    }
  }
  instances.set(backend, kernels);
  return kernels;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: BackendWasm, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data == null) throw new Error('tensor has no data on the wasm backend');
  return data.memoryOffset;
}
