import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { batchMatMul } from './batch-mat-mul';
import { CHUNK_BYTES, cropColumns, padColumns, padImages, roundUp4 } from './conv-simd';
import { disposeInfos, reshape, runKernel, slice, transpose } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';
import type { TSimdKernels } from './simd/simd-kernels';
import { winogradFilterGrad } from './winograd';

type TAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * dW[kh,kw,ci,co] = sum over b,oy,ox of x[b, oy*s+kh-top, ox*s+kw-left, ci] * dy[b,oy,ox,co].
 * With wasm SIMD our register-tiled kernel (conv2dBackpropFilterSimd), else conv2dBackpropFilterByConv.
 */
export function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  if (attrs.dataFormat === 'NCHW') throw new Error("wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only");
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const simd = getSimdKernels(backend);
  if (simd != null && x.dtype === 'float32') return conv2dBackpropFilterSimd(backend, simd, x, dy, info);
  return conv2dBackpropFilterByConv(backend, x, dy, info);
}

/**
 * Without wasm SIMD: 1x1 stride 1 as one matrix product, everything else as a convolution of x
 * (as [Cin,H,W,B]) with dy (as the filter [OH,OW,B,Cout]) at dilation = the forward stride and
 * the forward padding, which XNNPACK runs. Its output [Cin,KH',KW',Cout] can exceed the kernel
 * by the stride's rounding remainder, hence the slice.
 */
export function conv2dBackpropFilterByConv(backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { filterHeight, filterWidth, inChannels, outChannels, strideHeight, strideWidth, padInfo } = info;
  const filterShape = [filterHeight, filterWidth, inChannels, outChannels];
  if (isPointwise(info)) {
    // 1x1, stride 1, no padding: dW = Xᵀ·dY over all pixels, one matrix product.
    const n = info.batchSize * info.inHeight * info.inWidth;
    const x2 = reshape(backend, x, [n, inChannels]);
    const dy2 = reshape(backend, dy, [n, outChannels]);
    const dW = batchMatMul({ inputs: { a: x2, b: dy2 }, backend, attrs: { transposeA: true, transposeB: false } });
    const out = reshape(backend, dW, filterShape);
    disposeInfos(backend, x2, dy2, dW);
    return out;
  }

  const xT = transpose(backend, x, [3, 1, 2, 0]);
  const dyT = batchToInner(backend, dy);
  const grad = runKernel(backend, 'Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    dilations: [strideHeight, strideWidth],
    pad: [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]],
    dataFormat: 'NHWC',
  });
  disposeInfos(backend, xT, dyT);

  let cropped = grad;
  if (grad.shape[1] !== filterHeight || grad.shape[2] !== filterWidth) {
    cropped = slice(backend, grad, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels]);
    disposeInfos(backend, grad);
  }
  const dW = transpose(backend, cropped, [1, 2, 0, 3]);
  disposeInfos(backend, cropped);
  return dW;
}

/** A 1x1 convolution at stride 1 without padding: a matrix product over pixels. */
export function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const unpadded = padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0;
  return filterHeight === 1 && filterWidth === 1 && strideHeight === 1 && strideWidth === 1 && dilationHeight === 1 && dilationWidth === 1 && unpadded;
}


/** dy [B,OH,OW,C] -> [OH,OW,B,C]: runs of C floats moved (SIMD kernel), else a wasm Transpose. */
function batchToInner(backend: BackendWasm, dy: tf.TensorInfo): tf.TensorInfo {
  const simd = getSimdKernels(backend);
  if (simd == null) return transpose(backend, dy, [1, 2, 0, 3]);
  const [b, oh, ow, c] = dy.shape as [number, number, number, number];
  const out = backend.makeOutput([oh, ow, b, c], 'float32');
  simd.swapOuterAxes(heapOffset(backend, dy), heapOffset(backend, out), b, oh * ow, c);
  return out;
}

/**
 * For each kernel row k, the patch row of kw pixels x cin channels is contiguous in NHWC, so
 * dW[k] ([kw*cin, cout]) is a sum over output pixels of outer products of two contiguous vectors,
 * which the kernel accumulates in registers (4 x 8 tiles) over all pixels of a chunk of images.
 * x is copied zero-padded when the convolution pads (the kernel has no bounds checks), dy when
 * cout is not a multiple of 4. Replaced the dilated convolution, whose "filter" (dy) XNNPACK
 * re-packed every call: 1.4-3x faster on the zoo's shapes (docs/BENCHMARKS.md). 3x3 stride-1
 * convolutions with 16+ input channels go to Winograd (winograd.ts) instead.
 */
export function conv2dBackpropFilterSimd(
  backend: BackendWasm,
  simd: TSimdKernels,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const winograd = winogradFilterGrad(backend, simd, x, dy, info);
  if (winograd != null) return winograd;
  const { batchSize, inChannels: cin, outHeight, outWidth, outChannels: cout } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  // Rows and columns of the (padded) input that the windows reach.
  const rows = (outHeight - 1) * strideHeight + filterHeight;
  const cols = (outWidth - 1) * strideWidth + filterWidth;
  const patchRow = filterWidth * cin;
  const jn = roundUp4(patchRow);
  const con = roundUp4(cout);
  // The last j tile of a patch row reads up to 3 floats past it: slack after the copy.
  const images = padImages(backend, simd, x, padInfo.top, padInfo.left, rows, cols, jn === patchRow ? 0 : 4);
  const pixels = batchSize * outHeight * outWidth;
  const dyp = padColumns(backend, simd, dy, pixels, cout, con);
  const dw = backend.makeOutput([filterHeight, jn, con], 'float32');

  const perImage = 4 * (images.rows * images.rowFloats + outHeight * outWidth * con);
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / perImage));
  const [xAt, dyAt, dwAt] = [heapOffset(backend, images.data), heapOffset(backend, dyp.data), heapOffset(backend, dw)];
  for (let b0 = 0; b0 < batchSize; b0 += chunk) {
    const b1 = Math.min(batchSize, b0 + chunk);
    simd.convFilterGrad(xAt, dyAt, dwAt, b0, b1, images.rows, images.rowFloats, cin, outHeight, outWidth, con, filterHeight, jn, strideHeight, strideWidth, b0 > 0 ? 1 : 0);
  }
  if (images.owned) disposeInfos(backend, images.data);
  if (dyp.owned) disposeInfos(backend, dyp.data);

  const filterShape = [filterHeight, filterWidth, cin, cout];
  const out = jn === patchRow && con === cout ? reshape(backend, dw, filterShape) : cropFilterRows(backend, simd, dw, jn, patchRow, con, filterShape);
  disposeInfos(backend, dw);
  return out;
}

/** [kh, jn, con] -> filterShape [kh, kw, cin, cout]: the first kw*cin = patchRow rows of each kernel row, the first cout columns. */
function cropFilterRows(backend: BackendWasm, simd: TSimdKernels, dw: tf.TensorInfo, jn: number, patchRow: number, con: number, filterShape: number[]): tf.TensorInfo {
  const [kh, , , cout] = filterShape as [number, number, number, number];
  if (jn === patchRow) return cropColumns(backend, simd, dw, kh * jn, con, cout, filterShape);
  const out = backend.makeOutput(filterShape, 'float32');
  for (let k = 0; k < kh; k += 1) {
    simd.copyRuns(heapOffset(backend, dw) + 4 * k * jn * con, 4 * con, heapOffset(backend, out) + 4 * k * patchRow * cout, 4 * cout, 4 * cout, patchRow);
  }
  return out;
}
