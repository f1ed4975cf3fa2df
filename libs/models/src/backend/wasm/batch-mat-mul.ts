import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { cropColumns, directConv, padColumns, rowStride } from './conv-simd';
import { disposeInfos, runKernel, transpose } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';
import type { TSimdKernels } from './simd/simd-kernels';

type TAttrs = { transposeA: boolean; transposeB: boolean };

/**
 * Matrix products with one batch. With wasm SIMD, our kernels and no weight packing: A·B and
 * A·Bᵀ as a 1x1 direct convolution (Bᵀ by a SIMD transpose), Aᵀ·B (dense weight gradients) as
 * the filter-gradient kernel's outer-product sums. wasm's own BatchMatMul uses XNNPACK only for
 * un-transposed operands (else a scalar triple loop) and re-packs B on every call, which for a
 * new weight tensor each step costs about as much as the product at batch 32.
 */
export function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo;
  const single = (t: tf.TensorInfo): boolean => t.shape.slice(0, -2).every((d) => d === 1);
  if (!single(a) || !single(b)) return runKernel(backend, 'BatchMatMul', { a, b }, attrs);
  const simd = a.dtype === 'float32' && b.dtype === 'float32' ? getSimdKernels(backend) : null;
  if (simd != null && !preferXnnpack(a, b, attrs)) return matMulSimd(backend, simd, a, b, attrs);
  if (!attrs.transposeA && !attrs.transposeB) return runKernel(backend, 'BatchMatMul', { a, b }, attrs);
  // Transpose explicitly (a linear copy) and take XNNPACK's path.
  const aa = attrs.transposeA ? transposeLast2(backend, a) : a;
  const bb = attrs.transposeB ? transposeLast2(backend, b) : b;
  const out = runKernel(backend, 'BatchMatMul', { a: aa, b: bb }, { transposeA: false, transposeB: false });
  if (aa !== a) disposeInfos(backend, aa);
  if (bb !== b) disposeInfos(backend, bb);
  return out;
}

/**
 * Where XNNPACK's GEMM (after an explicit transpose) beats our kernels, measured with
 * bench/matmul-shapes.ts: short reductions (k < 32: per-tile overhead dominates ours) and large
 * Aᵀ·B outputs (1024x1024 weight gradients: ours accumulates 4x8 tiles over only 32 rows).
 */
function preferXnnpack(a: tf.TensorInfo, b: tf.TensorInfo, { transposeA, transposeB }: TAttrs): boolean {
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const n = transposeB ? bRows : bCols;
  return transposeA && !transposeB ? m * n > 1 << 19 : k < 32;
}

/**
 * Dense layers at inference (bias, linear or relu): A·B + bias by the same direct kernel, bias
 * and relu applied in its registers. Other activations and transposed operands: wasm's own.
 */
export function fusedMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs & { activation: string } }): tf.TensorInfo {
  const { backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const fallback = (): tf.TensorInfo => runKernel(backend, '_FusedMatMul', args.inputs, attrs);
  if (a == null || b == null || attrs.transposeA || attrs.transposeB || preluActivationWeights != null) return fallback();
  if (attrs.activation !== 'linear' && attrs.activation !== 'relu') return fallback();
  const n = b.shape.at(-1) as number;
  const biasOk = bias == null || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === n);
  const single = (t: tf.TensorInfo): boolean => t.shape.slice(0, -2).every((d) => d === 1);
  const simd = a.dtype === 'float32' && b.dtype === 'float32' && biasOk && single(a) && single(b) ? getSimdKernels(backend) : null;
  if (simd == null || preferXnnpack(a, b, attrs)) return fallback();
  return matMulSimd(backend, simd, a, b, attrs, bias ?? null, attrs.activation === 'relu');
}

function matMulSimd(
  backend: BackendWasm, simd: TSimdKernels, a: tf.TensorInfo, b: tf.TensorInfo, { transposeA, transposeB }: TAttrs, bias: tf.TensorInfo | null = null, relu = false,
): tf.TensorInfo {
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const n = transposeB ? bRows : bCols;
  const batchDims = Array<number>(Math.max(a.shape.length, b.shape.length) - 2).fill(1);
  if (m === 0 || n === 0 || k === 0) {
    const out = backend.makeOutput([...batchDims, m, n], 'float32');
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    return out;
  }
  if (transposeA && !transposeB && bias == null && !relu) {
    const out = outerProductSums(backend, simd, a, b, k, m, n);
    return { ...out, shape: [...batchDims, m, n] };
  }
  const aa = transposeA ? transpose2d(backend, simd, a, aRows, aCols) : a;
  const stride = rowStride(n);
  const w = transposeB ? { data: transpose2d(backend, simd, b, bRows, bCols, stride), owned: true } : padColumns(backend, simd, b, k, n, stride);
  // Rows of A in "images" of up to 1024 rows (a divisor of m), so that the kernel's chunks fit the cache.
  let rows = m;
  if (m > 1024) for (let d = 1024; d >= 64; d -= 1) if (m % d === 0) { rows = d; break; }
  const out = directConv(backend, simd, { data: aa, rows: 1, rowFloats: rows * k, owned: false }, w.data, {
    batch: m / rows, outHeight: 1, outWidth: rows, kernelHeight: 1, kernelWidth: 1, channels: k, strideHeight: 1, strideWidth: 1, filters: n,
  }, bias, relu, stride);
  if (aa !== a) disposeInfos(backend, aa);
  if (w.owned) disposeInfos(backend, w.data);
  return { ...out, shape: [...batchDims, m, n] };
}

/** Aᵀ·B for A [r, m], B [r, n]: sum over the r rows of outer products (the filter-gradient kernel with 1x1 "patches"). */
function outerProductSums(backend: BackendWasm, simd: TSimdKernels, a: tf.TensorInfo, b: tf.TensorInfo, r: number, m: number, n: number): tf.TensorInfo {
  const [mp, np] = [rowStride(m), rowStride(n)];
  const aPadded = padColumns(backend, simd, a, r, m, mp);
  const bPadded = padColumns(backend, simd, b, r, n, np);
  const sums = backend.makeOutput([mp, np], 'float32');
  simd.convFilterGrad(heapOffset(backend, aPadded.data), heapOffset(backend, bPadded.data), heapOffset(backend, sums), 0, 1, 1, r * mp, mp, 1, r, np, 1, mp, 1, 1, 0);
  if (aPadded.owned) disposeInfos(backend, aPadded.data);
  if (bPadded.owned) disposeInfos(backend, bPadded.data);
  if (mp === m && np === n) return sums;
  const out = cropColumns(backend, simd, sums, m, np, n, [m, n]);
  disposeInfos(backend, sums);
  return out;
}

/** [rows, cols] -> [cols, rows], each output row `stride` floats apart (zeros after the first `rows`). */
function transpose2d(backend: BackendWasm, simd: TSimdKernels, x: tf.TensorInfo, rows: number, cols: number, stride = rows): tf.TensorInfo {
  const out = backend.makeOutput([cols * stride], x.dtype);
  if (stride !== rows) (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
  simd.transpose2d(heapOffset(backend, x), heapOffset(backend, out), rows, cols, stride);
  return { ...out, shape: [cols, stride] };
}

function transposeLast2(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose(backend, x, perm);
}
