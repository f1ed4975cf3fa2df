import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { cropColumns, padColumns, padImages, roundUp4 } from './conv-simd';
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

type TPass = { b0: number; b1: number; ty0: number; rows: number };

/**
 * Passes over the tiles: each transforms, multiplies and transforms back a block of tiles whose
 * transformed data (bytesPerTile each) stays in L2: several whole images, or, for larger images,
 * a band of tile rows of one image. Kernels see a pass as images 0..b1-b0 of rows x tw tiles,
 * from pointers moved to image b0, tile row ty0. `tiles`: the most tiles in one pass.
 */
function planPasses(batch: number, th: number, tw: number, bytesPerTile: number): { tiles: number; passes: TPass[] } {
  const budget = Math.max(tw, Math.floor(WINOGRAD_PASS_BYTES / bytesPerTile));
  const imagesPerPass = Math.max(1, Math.min(batch, Math.floor(budget / (th * tw))));
  const rowsPerPass = imagesPerPass > 1 ? th : Math.min(th, Math.floor(budget / tw));
  const passes: TPass[] = [];
  for (let b0 = 0; b0 < batch; b0 += imagesPerPass) {
    const b1 = Math.min(batch, b0 + imagesPerPass);
    for (let ty0 = 0; ty0 < th; ty0 += rowsPerPass) passes.push({ b0, b1, ty0, rows: Math.min(rowsPerPass, th - ty0) });
  }
  return { tiles: imagesPerPass * rowsPerPass * tw, passes };
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
  const { tiles, passes } = planPasses(batch, th, tw, 16 * 4 * (channels + con));
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
  for (const { b0, b1, ty0, rows } of passes) {
    const xp = xAt + 4 * (b0 * imageFloats + 2 * ty0 * images.rowFloats);
    simd.winogradInput(xp, vAt, 0, b1 - b0, imageFloats, images.rowFloats, channels, rows, tw, vPlane);
    const n = (b1 - b0) * rows * tw;
    for (let e = 0; e < 16; e += 1) {
      // M[e] = V[e] · U[e]: a 1x1 convolution of n "pixels" of `channels` floats.
      simd.convForward(vAt + 4 * e * vPlane, uAt + 4 * e * channels * con, 0, mAt + 4 * e * mPlane, tableAt, 0, 1, n, 0, channels, 1, channels, con, 0);
    }
    const outp = outAt + 4 * (b0 * outHeight + 2 * ty0) * outWidth * con;
    simd.winogradOutput(mAt, biasAt, outp, 0, b1 - b0, rows, tw, outHeight - 2 * ty0, outWidth, con, mPlane, relu ? 1 : 0);
  }
  disposeInfos(backend, u, v, m, table);
  if (paddedBias?.owned) disposeInfos(backend, paddedBias.data);
  if (con === filters) return out;
  const cropped = cropColumns(backend, simd, out, batch * outHeight * outWidth, con, filters, [batch, outHeight, outWidth, filters]);
  disposeInfos(backend, out);
  return cropped;
}

/**
 * Filter gradient of a 3x3 stride-1 convolution by Winograd F(3x3, 2x2) over 2x2 blocks of
 * output pixels: dW = Gᵀ [sum over blocks of (A dy Aᵀ) ⊙ (Bᵀ x B)] G, where Bᵀ x B is the forward
 * input transform, and the sum over blocks is 16 products Vᵀ·U by the filter-gradient kernel.
 * x padded as the forward pass pads it; null where it does not apply (then the direct kernel).
 */
export function winogradFilterGrad(backend: BackendWasm, simd: TSimdKernels, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const { batchSize: batch, inChannels: cin, outChannels: cout, outHeight, outWidth, padInfo } = info;
  const conv = { kernelHeight: info.filterHeight, kernelWidth: info.filterWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth, channels: cin };
  if (!winogradApplies(conv) || info.dilationHeight !== 1 || info.dilationWidth !== 1 || cout % 4 !== 0) return null;
  const [th, tw] = [Math.ceil(outHeight / 2), Math.ceil(outWidth / 2)];
  const [rows, cols] = winogradInputSize(outHeight, outWidth);
  const images = padImages(backend, simd, x, padInfo.top, padInfo.left, rows, cols);
  const grads = padImages(backend, simd, dy, 0, 0, 2 * th, 2 * tw);
  const { tiles, passes } = planPasses(batch, th, tw, 16 * 4 * (cin + cout));
  const [vPlane, uPlane] = [tiles * cin, tiles * cout];
  // 4 floats of slack: the filter-gradient kernel may read 3 past its input.
  const v = backend.makeOutput([16 * vPlane + 4], 'float32');
  const u = backend.makeOutput([16 * uPlane], 'float32');
  const m = backend.makeOutput([16 * cin * cout], 'float32');
  const [xAt, dyAt, vAt, uAt, mAt] = [images.data, grads.data, v, u, m].map((t) => heapOffset(backend, t)) as [number, number, number, number, number];
  const [imageFloats, gradFloats] = [images.rows * images.rowFloats, grads.rows * grads.rowFloats];
  passes.forEach(({ b0, b1, ty0, rows: bandRows }, i) => {
    const xp = xAt + 4 * (b0 * imageFloats + 2 * ty0 * images.rowFloats);
    simd.winogradInput(xp, vAt, 0, b1 - b0, imageFloats, images.rowFloats, cin, bandRows, tw, vPlane);
    const gp = dyAt + 4 * (b0 * gradFloats + 2 * ty0 * grads.rowFloats);
    simd.winogradGradOutput(gp, uAt, 0, b1 - b0, gradFloats, grads.rowFloats, cout, bandRows, tw, uPlane);
    const n = (b1 - b0) * bandRows * tw;
    for (let e = 0; e < 16; e += 1) {
      // M[e] (+)= V[e]ᵀ · U[e]: the filter gradient of a 1x1 convolution over one row of n pixels.
      simd.convFilterGrad(vAt + 4 * e * vPlane, uAt + 4 * e * uPlane, mAt + 4 * e * cin * cout, 0, 1, 1, n * cin, cin, 1, n, cout, 1, cin, 1, 1, i > 0 ? 1 : 0);
    }
  });
  const dw = backend.makeOutput([3, 3, cin, cout], 'float32');
  inverseTransformFilterGrad(backend.typedArrayFromHeap(m) as Float32Array, backend.typedArrayFromHeap(dw) as Float32Array, cin * cout);
  if (images.owned) disposeInfos(backend, images.data);
  if (grads.owned) disposeInfos(backend, grads.data);
  disposeInfos(backend, v, u, m);
  return dw;
}

/** dw[ky, kx] = (Gᵀ M G)[ky, kx] for each of the n (cin, cout) pairs; M is [16, n], dw [9, n]. */
function inverseTransformFilterGrad(m: Float32Array, dw: Float32Array, n: number): void {
  for (let i = 0; i < n; i += 1) {
    // Rows of Gᵀ M (3 x 4): Gᵀ = [1 1/2 1/2 0; 0 1/2 -1/2 0; 0 1/2 1/2 1].
    const r = [0, 1, 2, 3].map((col) => {
      const [a, b, c, d] = [m[col * n + i] as number, m[(4 + col) * n + i] as number, m[(8 + col) * n + i] as number, m[(12 + col) * n + i] as number];
      return [a + (b + c) / 2, (b - c) / 2, (b + c) / 2 + d];
    }) as [number[], number[], number[], number[]];
    for (let ky = 0; ky < 3; ky += 1) {
      const [a, b, c, d] = [r[0][ky] as number, r[1][ky] as number, r[2][ky] as number, r[3][ky] as number];
      dw[(3 * ky) * n + i] = a + (b + c) / 2;
      dw[(3 * ky + 1) * n + i] = (b - c) / 2;
      dw[(3 * ky + 2) * n + i] = (b + c) / 2 + d;
    }
  }
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
