import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { CHUNK_BYTES, cropColumns, padColumns, roundUp4 } from './conv-simd';
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
  const tilesPerImage = th * tw;
  const chunk = Math.max(1, Math.min(batch, Math.floor(CHUNK_BYTES / (16 * 4 * tilesPerImage * (channels + con)))));
  const tiles = chunk * tilesPerImage;
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
  const [xAt, uAt, vAt, mAt, tableAt, outAt] = [images.data, u, v, m, table, out].map((t) => heapOffset(backend, t)) as number[];
  const imageFloats = images.rows * images.rowFloats;
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const b1 = Math.min(batch, b0 + chunk);
    simd.winogradInput(xAt as number, vAt as number, b0, b1, imageFloats, images.rowFloats, channels, th, tw, vPlane);
    const n = (b1 - b0) * tilesPerImage;
    for (let e = 0; e < 16; e += 1) {
      // M[e] = V[e] · U[e]: a 1x1 convolution of n "pixels" of `channels` floats.
      simd.convForward(vAt + 4 * e * vPlane, uAt + 4 * e * channels * con, 0, mAt + 4 * e * mPlane, tableAt, 0, 1, n, 0, channels, 1, channels, con, 0);
    }
    simd.winogradOutput(mAt, biasAt, outAt, b0, b1, th, tw, outHeight, outWidth, con, mPlane, relu ? 1 : 0);
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
