import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { copyRun, disposeInfos } from './kernel-utils';
import { heapOffset } from './simd/simd-kernels';
import type { TSimdKernels } from './simd/simd-kernels';

/** Input and output bytes of the images one SIMD pass covers before the next tile: about half a core's L2. */
export const CHUNK_BYTES = 512 * 1024;
export const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4;

/** NHWC images as the SIMD kernels read them: image i at `data + i*rows*rowFloats` floats. */
export type TPaddedImages = { data: tf.TensorInfo; rows: number; rowFloats: number; owned: boolean };

/**
 * x [B,H,W,C] with x[b, y, x] at (top + y, left + x) of a zero-filled [B, rows, cols, C] copy (plus
 * `slack` floats after it), or x itself when it already is that layout (no padding, nothing
 * missing; rows and columns past the needed ones are then simply never read).
 */
export function padImages(backend: BackendWasm, x: tf.TensorInfo, top: number, left: number, rows: number, cols: number, slack = 0): TPaddedImages {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  if (top === 0 && left === 0 && rows <= height && cols <= width && slack === 0) {
    return { data: x, rows: height, rowFloats: width * channels, owned: false };
  }
  const data = backend.makeOutput([batch * rows * cols * channels + slack], 'float32');
  // Views only after the allocation: it can grow (and so detach) the heap.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = (backend.typedArrayFromHeap(data) as Float32Array).fill(0);
  const run = Math.min(width, cols - left) * channels;
  for (let b = 0; b < batch; b += 1) {
    for (let row = Math.max(0, top); row < Math.min(rows, top + height); row += 1) {
      copyRun(src, (b * height + row - top) * width * channels, dst, ((b * rows + row) * cols + left) * channels, run);
    }
  }
  return { data, rows, rowFloats: cols * channels, owned: true };
}

/** [kh, krow, cout] filter rows as the kernel reads them: columns padded to a multiple of 4. */
export function padColumns(backend: BackendWasm, w: tf.TensorInfo, rows: number, cols: number): { data: tf.TensorInfo; owned: boolean } {
  const con = roundUp4(cols);
  if (con === cols) return { data: w, owned: false };
  const data = backend.makeOutput([rows * con], 'float32');
  const src = backend.typedArrayFromHeap(w) as Float32Array;
  const dst = (backend.typedArrayFromHeap(data) as Float32Array).fill(0);
  for (let r = 0; r < rows; r += 1) copyRun(src, r * cols, dst, r * con, cols);
  return { data, owned: true };
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
 * w laid out [kh, kw*channels, roundUp4(filters)] (the NHWC filter's own layout when filters is a
 * multiple of 4), plus bias, then relu if asked; by the convForward SIMD kernel (kernels.wat).
 */
export function directConv(
  backend: BackendWasm,
  simd: TSimdKernels,
  images: TPaddedImages,
  w: tf.TensorInfo,
  conv: TDirectConv,
  bias: tf.TensorInfo | null,
  relu: boolean,
): tf.TensorInfo {
  const { batch, outHeight, outWidth, kernelHeight, kernelWidth, channels, strideHeight, strideWidth, filters } = conv;
  const con = roundUp4(filters);
  const npix = outHeight * outWidth;
  const paddedBias = bias != null && con !== filters ? padColumns(backend, bias, 1, filters) : null;
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
  const cropped = backend.makeOutput([batch, outHeight, outWidth, filters], 'float32');
  const src = backend.typedArrayFromHeap(out) as Float32Array;
  const dst = backend.typedArrayFromHeap(cropped) as Float32Array;
  for (let p = 0; p < batch * npix; p += 1) copyRun(src, p * con, dst, p * filters, filters);
  disposeInfos(backend, out);
  return cropped;
}
