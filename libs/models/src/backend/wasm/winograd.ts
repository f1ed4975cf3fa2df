import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { cropColumns, padColumns, roundUp4 } from './conv-simd';
import type { TDirectConv, TPaddedImages } from './conv-simd';
import { disposeInfos } from './kernel-utils';
import { heapOffset } from './simd/simd-kernels';
import type { TSimdKernels } from './simd/simd-kernels';

/**
 * Winograd F(2x2, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks"): each
 * 2x2 block of outputs from a 4x4 input patch with 16 multiplies per channel pair instead of 36.
 * The products become 16 independent matrix products V[e] (tiles x cin) · U[e] (cin x cout),
 * which run on the direct convolution kernel as 1x1 convolutions; the transforms are adds only
 * (input, output) or done once per call in JS (filter). Not bit-identical to the direct
 * convolution: the transforms round differently (tests bound the error against the cpu backend).
 */
/** Bytes of transformed tiles (V) and their products (M) per pass: half of a core's L2, the rest for U and the images. */
const WINOGRAD_PASS_BYTES = 256 * 1024;

let enabled = true;

/** Turns the Winograd path off (direct convolution only) or back on: for side-by-side timings. */
export function setWinogradEnabled(on: boolean): void {
  enabled = on;
}

/**
 * 3x3, stride 1, input channels a multiple of 4 and at least 16: below that the transforms cost
 * more than the products save (ResNet's 28x28x16 convs are at par; bench/conv-grads.ts).
 */
export function winogradApplies(conv: Pick<TDirectConv, 'kernelHeight' | 'kernelWidth' | 'strideHeight' | 'strideWidth' | 'channels'>): boolean {
  return enabled && conv.kernelHeight === 3 && conv.kernelWidth === 3 && conv.strideHeight === 1 && conv.strideWidth === 1 && conv.channels % 4 === 0 && conv.channels >= 16;
}

/** Rows and columns of padded input the tiles read: whole 2x2 output tiles plus the kernel's 2. */
export function winogradInputSize(outHeight: number, outWidth: number): [number, number] {
  return [2 * Math.ceil(outHeight / 2) + 2, 2 * Math.ceil(outWidth / 2) + 2];
}

/**
 * As directConv (same arguments) for a 3x3 stride-1 convolution whose images are padded to at
 * least winogradInputSize: out [B, OH, OW, filters] = conv(images, w) + bias, relu if asked.
 */
export function winogradConv(
  backend: BackendWasm,
  simd: TSimdKernels,
  images: TPaddedImages,
  w: tf.TensorInfo,
  conv: TDirectConv,
  bias: tf.TensorInfo | null,
  relu: boolean,
  stride = roundUp4(conv.filters),
): tf.TensorInfo {
  const { batch, outHeight, outWidth, channels, filters } = conv;
  const con = stride;
  const [th, tw] = [Math.ceil(outHeight / 2), Math.ceil(outWidth / 2)];
  // A pass transforms, multiplies and transforms back a block of tiles whose V and M stay in
  // L2: several whole images, or (larger images) a band of tile rows of one image.
  const bytesPerTile = 16 * 4 * (channels + con);
  const tileBudget = Math.max(tw, Math.floor(WINOGRAD_PASS_BYTES / bytesPerTile));
  const imagesPerPass = Math.max(1, Math.min(batch, Math.floor(tileBudget / (th * tw))));
  const rowsPerPass = imagesPerPass > 1 ? th : Math.min(th, Math.floor(tileBudget / tw));
  const tiles = imagesPerPass * rowsPerPass * tw;
  const [vPlane, mPlane] = [tiles * channels, tiles * con];

  const paddedBias = bias != null && con !== filters ? padColumns(backend, simd, bias, 1, filters, con) : null;
  const u = backend.makeOutput([16 * channels * con], 'float32');
  const v = backend.makeOutput([16 * vPlane], 'float32');
  const m = backend.makeOutput([16 * mPlane], 'float32');
  const table = backend.makeOutput([tiles], 'int32');
  const out = backend.makeOutput([batch, outHeight, outWidth, con], 'float32');
  // Views only after the allocations: they can grow (and so detach) the heap.
  transformFilter(backend.typedArrayFromHeap(w) as Float32Array, backend.typedArrayFromHeap(u) as Float32Array, channels, con);
  const offsets = backend.typedArrayFromHeap(table) as Int32Array;
  for (let t = 0; t < tiles; t += 1) offsets[t] = 4 * t * channels;

  const biasAt = bias == null ? 0 : heapOffset(backend, paddedBias?.data ?? bias);
  const [xAt, uAt, vAt, mAt, tableAt, outAt] = [images.data, u, v, m, table, out].map((t) => heapOffset(backend, t)) as [number, number, number, number, number, number];
  const imageFloats = images.rows * images.rowFloats;
  /** Images [b0, b1) whole (band null), or tile rows [ty0, ty0 + rows) of image b0 alone. */
  const pass = (b0: number, b1: number, band: { ty0: number; rows: number } | null): void => {
    // For a band, pointers move to its first row, so the kernels see it as one whole image.
    const [xp, outp] = band == null
      ? [xAt, outAt]
      : [xAt + 4 * (b0 * imageFloats + 2 * band.ty0 * images.rowFloats), outAt + 4 * (b0 * outHeight + 2 * band.ty0) * outWidth * con];
    const [i0, i1, rows, oh] = band == null ? [b0, b1, th, outHeight] : [0, 1, band.rows, outHeight - 2 * band.ty0];
    simd.winogradInput(xp, vAt, i0, i1, imageFloats, images.rowFloats, channels, rows, tw, vPlane);
    const n = (i1 - i0) * rows * tw;
    for (let e = 0; e < 16; e += 1) {
      // M[e] = V[e] · U[e]: a 1x1 convolution of n "pixels" of `channels` floats.
      simd.convForward(vAt + 4 * e * vPlane, uAt + 4 * e * channels * con, 0, mAt + 4 * e * mPlane, tableAt, 0, 1, n, 0, channels, 1, channels, con, 0);
    }
    simd.winogradOutput(mAt, biasAt, outp, i0, i1, rows, tw, oh, outWidth, con, mPlane, relu ? 1 : 0);
  };
  if (imagesPerPass > 1 || rowsPerPass === th) {
    for (let b0 = 0; b0 < batch; b0 += imagesPerPass) pass(b0, Math.min(batch, b0 + imagesPerPass), null);
  } else {
    for (let b = 0; b < batch; b += 1) {
      for (let ty0 = 0; ty0 < th; ty0 += rowsPerPass) pass(b, b + 1, { ty0, rows: Math.min(rowsPerPass, th - ty0) });
    }
  }
  disposeInfos(backend, u, v, m, table);
  if (paddedBias?.owned) disposeInfos(backend, paddedBias.data);
  if (con === filters) return out;
  const cropped = cropColumns(backend, simd, out, batch * outHeight * outWidth, con, filters, [batch, outHeight, outWidth, filters]);
  disposeInfos(backend, out);
  return cropped;
}

/** u[at + col*plane] = ([a b c] G^T)[col]. */
function transformRow(u: Float32Array, at: number, plane: number, a: number, b: number, c: number): void {
  u[at] = a;
  u[at + plane] = (a + b + c) / 2;
  u[at + 2 * plane] = (a - b + c) / 2;
  u[at + 3 * plane] = c;
}

/**
 * u[e, c, k] = (G g G^T)[e] for each 3x3 filter g = w[.., .., c, k] (w is [3, 3, channels, con]),
 * G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]. In float64, rounded once to float32.
 */
function transformFilter(w: Float32Array, u: Float32Array, channels: number, con: number): void {
  // One tap of w and one plane of u are both [channels, con].
  const tap = channels * con;
  const plane = tap;
  for (let i = 0; i < tap; i += 1) {
    const g00 = w[i] as number, g01 = w[tap + i] as number, g02 = w[2 * tap + i] as number;
    const g10 = w[3 * tap + i] as number, g11 = w[4 * tap + i] as number, g12 = w[5 * tap + i] as number;
    const g20 = w[6 * tap + i] as number, g21 = w[7 * tap + i] as number, g22 = w[8 * tap + i] as number;
    // Rows of G g (4 x 3), each then times G^T.
    transformRow(u, i, plane, g00, g01, g02);
    transformRow(u, i + 4 * plane, plane, (g00 + g10 + g20) / 2, (g01 + g11 + g21) / 2, (g02 + g12 + g22) / 2);
    transformRow(u, i + 8 * plane, plane, (g00 - g10 + g20) / 2, (g01 - g11 + g21) / 2, (g02 - g12 + g22) / 2);
    transformRow(u, i + 12 * plane, plane, g20, g21, g22);
  }
}
