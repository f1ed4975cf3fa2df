import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfos } from './kernel-utils';
import { heapOffset } from './simd/simd-kernels';
import type { TSimdKernels } from './simd/simd-kernels';

/** Input and output bytes of the images one SIMD pass covers before the next tile: about half a core's L2. */
export const CHUNK_BYTES = 512 * 1024;
export const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4;
/**
 * Row stride (floats) for a matrix the kernels walk down row by row: a multiple of 4, but not of
 * 64, since rows 256 bytes apart (1024-wide dense layers: 4 KB) share L1 cache sets.
 */
export const rowStride = (n: number): number => (roundUp4(n) % 64 === 0 ? roundUp4(n) + 4 : roundUp4(n));

/** NHWC images as the SIMD kernels read them: image i at `data + i*rows*rowFloats` floats. */
export type TPaddedImages = { data: tf.TensorInfo; rows: number; rowFloats: number; owned: boolean };

/**
 * x [B,H,W,C] with x[b, y, x] at (top + y, left + x) of a zero-filled [B, rows, cols, C] copy (plus
 * `slack` floats after it), or x itself when it already is that layout (no padding, nothing
 * missing; rows and columns past the needed ones are then simply never read).
 */
export function padImages(
  backend: BackendWasm, simd: TSimdKernels, x: tf.TensorInfo, top: number, left: number, rows: number, cols: number, slack = 0,
): TPaddedImages {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  if (top === 0 && left === 0 && rows <= height && cols <= width && slack === 0) {
    return { data: x, rows: height, rowFloats: width * channels, owned: false };
  }
  const data = backend.makeOutput([batch * rows * cols * channels + slack], 'float32');
  // Views only after the allocation: it can grow (and so detach) the heap.
  (backend.typedArrayFromHeap(data) as Float32Array).fill(0);
  const [from, to] = [Math.max(0, top), Math.min(rows, top + height)];
  const run = Math.min(width, cols - left) * channels;
  const [xAt, dataAt] = [heapOffset(backend, x), heapOffset(backend, data)];
  if (to > from && run > 0) {
    for (let b = 0; b < batch; b += 1) {
      const src = xAt + 4 * (b * height + from - top) * width * channels;
      const dst = dataAt + 4 * ((b * rows + from) * cols + left) * channels;
      simd.copyRuns(src, 4 * width * channels, dst, 4 * cols * channels, 4 * run, to - from);
    }
  }
  return { data, rows, rowFloats: cols * channels, owned: true };
}

/** A row-major [rows, cols] matrix with its rows `stride` floats apart (zeros between), or itself when stride = cols. */
export function padColumns(backend: BackendWasm, simd: TSimdKernels, w: tf.TensorInfo, rows: number, cols: number, stride = roundUp4(cols)): { data: tf.TensorInfo; owned: boolean } {
  if (stride === cols) return { data: w, owned: false };
  const data = backend.makeOutput([rows * stride], 'float32');
  (backend.typedArrayFromHeap(data) as Float32Array).fill(0);
  simd.copyRuns(heapOffset(backend, w), 4 * cols, heapOffset(backend, data), 4 * stride, 4 * cols, rows);
  return { data, owned: true };
}

/** The first `cols` floats of each of `rows` rows `stride` floats apart, as a new tensor of `shape`. */
export function cropColumns(backend: BackendWasm, simd: TSimdKernels, x: tf.TensorInfo, rows: number, stride: number, cols: number, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  simd.copyRuns(heapOffset(backend, x), 4 * stride, heapOffset(backend, out), 4 * cols, 4 * cols, rows);
  return out;
}

export type TDirectConv = {
  batch: number;
  outHeight: number;
  outWidth: number;
  kernelHeight: number;
  kernelWidth: number;
  channels: number;
  strideHeight: number;
  strideWidth: number;
  /** Output channels. */
  filters: number;
};

/**
 * out [B, OH, OW, filters] = convolution of already padded images (valid, strides as given) with
 * w laid out [kh, kw*channels, stride] (stride = roundUp4(filters) unless given: the NHWC
 * filter's own layout when filters is a multiple of 4), plus bias, then relu if asked; by the
 * convForward SIMD kernel (kernels.wat).
 */
export function directConv(
  backend: BackendWasm,
  simd: TSimdKernels,
  images: TPaddedImages,
  w: tf.TensorInfo,
  conv: TDirectConv,
  bias: tf.TensorInfo | null,
  relu: boolean,
  stride = roundUp4(conv.filters),
): tf.TensorInfo {
  const { batch, outHeight, outWidth, kernelHeight, kernelWidth, channels, strideHeight, strideWidth, filters } = conv;
  const con = stride;
  const npix = outHeight * outWidth;
  const paddedBias = bias != null && con !== filters ? padColumns(backend, simd, bias, 1, filters, con) : null;
  const out = backend.makeOutput([batch, outHeight, outWidth, con], 'float32');
  const table = backend.makeOutput([npix], 'int32');
  const offsets = backend.typedArrayFromHeap(table) as Int32Array;
  for (let oy = 0, p = 0; oy < outHeight; oy += 1) {
    for (let ox = 0; ox < outWidth; ox += 1, p += 1) offsets[p] = 4 * (oy * strideHeight * images.rowFloats + ox * strideWidth * channels);
  }
  const imageFloats = images.rows * images.rowFloats;
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / (4 * (imageFloats + npix * con))));
  const biasAt = bias == null ? 0 : heapOffset(backend, paddedBias?.data ?? bias);
  const [xAt, wAt, outAt, tableAt] = [heapOffset(backend, images.data), heapOffset(backend, w), heapOffset(backend, out), heapOffset(backend, table)];
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const b1 = Math.min(batch, b0 + chunk);
    simd.convForward(xAt, wAt, biasAt, outAt, tableAt, b0, b1, npix, imageFloats, images.rowFloats, kernelHeight, kernelWidth * channels, con, relu ? 1 : 0);
  }
  disposeInfos(backend, table);
  if (paddedBias?.owned) disposeInfos(backend, paddedBias.data);
  if (con === filters) return out;
  const cropped = cropColumns(backend, simd, out, batch * npix, con, filters, [batch, outHeight, outWidth, filters]);
  disposeInfos(backend, out);
  return cropped;
}
