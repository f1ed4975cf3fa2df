import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { batchMatMul } from './batch-mat-mul';
import { directConv, padImages, roundUp4 } from './conv-simd';
import { isPointwise } from './conv2d-backprop-filter';
import { disposeInfos, reshape, runKernel, slice, transpose } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';
import { winogradApplies, winogradConv, winogradInputSize } from './winograd';
import type { TSimdKernels } from './simd/simd-kernels';

type TAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/**
 * Replaces wasm's scalar loop. By shape (timings in docs/BENCHMARKS.md): 1x1 stride 1: dX = dY·Wᵀ.
 * Other stride-1 convs: a forward convolution of dy padded by kernel-1-pad with the filter rotated
 * 180 degrees and its channels swapped, by our direct SIMD kernel. Strided convs: dY·Wᵀ then
 * col2im (SIMD); or, where that wastes less, XNNPACK's convolution of dy spread by the stride.
 */
export function conv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  if (attrs.dataFormat === 'NCHW') throw new Error("wasm Conv2DBackpropInput supports dataFormat 'NHWC' only");
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  if (isPointwise(info)) {
    // 1x1, stride 1, no padding: dX = dY·Wᵀ over all pixels, one matrix product.
    const n = info.batchSize * inHeight * inWidth;
    const dy2 = reshape(backend, dy, [n, info.outChannels]);
    const w2 = reshape(backend, filter, [info.inChannels, info.outChannels]);
    const dx2 = batchMatMul({ inputs: { a: dy2, b: w2 }, backend, attrs: { transposeA: false, transposeB: true } });
    const out = reshape(backend, dx2, attrs.inputShape);
    disposeInfos(backend, dy2, w2, dx2);
    return out;
  }

  // The conv path below computes every input pixel over the padded, stride-spread dy:
  // (in/out pixels) times the products needed, wasteful for strides > 1 and valid padding.
  const simd = getSimdKernels(backend);
  const direct = simd != null && strideHeight === 1 && strideWidth === 1 && dy.dtype === 'float32';
  if (!direct && inHeight * inWidth >= 1.5 * outHeight * outWidth) {
    const dx = conv2dBackpropInputCol2im(backend, dy, filter, info);
    if (dx != null) return dx;
  }

  // The valid conv over dy spread by the stride and padded by (kernel-1-pad) yields inHeight rows.
  // The spread ends in (stride-1) zero rows: the bottom padding absorbs them, or they are cut.
  const padTop = filterHeight - 1 - padInfo.top;
  const padLeft = filterWidth - 1 - padInfo.left;
  const padBottom = inHeight + filterHeight - 1 - padTop - outHeight * strideHeight;
  const padRight = inWidth + filterWidth - 1 - padLeft - outWidth * strideWidth;
  const cutBottom = Math.max(0, -padBottom);
  const cutRight = Math.max(0, -padRight);
  if (padTop < 0 || padLeft < 0 || cutBottom >= strideHeight || cutRight >= strideWidth) {
    // Padding wider than the kernel (explicit pads only): the backend's own kernel handles it.
    return runKernel(backend, 'Conv2DBackpropInput', { dy, filter }, attrs);
  }
  if (direct) return conv2dBackpropInputDirect(backend, simd, dy, filter, info, padTop, padLeft);

  const spread = spreadByStride(backend, dy, strideHeight, strideWidth, cutBottom, cutRight);
  const rotated = rotateFilter(backend, filter);
  const dx = runKernel(backend, 'Conv2D', { x: spread, filter: rotated }, {
    strides: [1, 1],
    dilations: [1, 1],
    pad: [[0, 0], [padTop, padBottom + cutBottom], [padLeft, padRight + cutRight], [0, 0]],
    dataFormat: 'NHWC',
  });
  disposeInfos(backend, spread, rotated);
  return dx;
}

/**
 * Stride 1: dX is the valid convolution of dy, zero-padded by (kernel-1-pad) before and enough
 * after, with the filter rotated 180 degrees and its channels swapped, by our direct SIMD kernel.
 */
function conv2dBackpropInputDirect(
  backend: BackendWasm, simd: TSimdKernels, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, padTop: number, padLeft: number,
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth } = info;
  const conv = {
    batch: batchSize, outHeight: inHeight, outWidth: inWidth, kernelHeight: filterHeight, kernelWidth: filterWidth,
    channels: outChannels, strideHeight: 1, strideWidth: 1, filters: inChannels,
  };
  const winograd = winogradApplies(conv);
  const [rows, cols] = winograd ? winogradInputSize(inHeight, inWidth) : [inHeight + filterHeight - 1, inWidth + filterWidth - 1];
  const images = padImages(backend, simd, dy, padTop, padLeft, rows, cols);
  // rotated[kh][kw][co][ci] = filter[KH-1-kh][KW-1-kw][ci][co], ci padded to a multiple of 4.
  const cip = roundUp4(inChannels);
  const rotated = backend.makeOutput([filterHeight * filterWidth * outChannels * cip], 'float32');
  const src = backend.typedArrayFromHeap(filter) as Float32Array;
  const dst = (backend.typedArrayFromHeap(rotated) as Float32Array).fill(0);
  for (let kh = 0; kh < filterHeight; kh += 1) {
    for (let kw = 0; kw < filterWidth; kw += 1) {
      const from = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * inChannels * outChannels;
      const to = (kh * filterWidth + kw) * outChannels * cip;
      for (let ci = 0; ci < inChannels; ci += 1) {
        for (let co = 0; co < outChannels; co += 1) dst[to + co * cip + ci] = src[from + ci * outChannels + co] as number;
      }
    }
  }
  const dx = (winograd ? winogradConv : directConv)(backend, simd, images, rotated, conv, null, false);
  if (images.owned) disposeInfos(backend, images.data);
  disposeInfos(backend, rotated);
  return dx;
}

/** [KH,KW,Cin,Cout] -> rotated 180 degrees and channels swapped: [KH,KW,Cout,Cin]. */
function rotateFilter(backend: BackendWasm, filter: tf.TensorInfo): tf.TensorInfo {
  const reversed = runKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = transpose(backend, reversed, [0, 1, 3, 2]);
  disposeInfos(backend, reversed);
  return swapped;
}

/** [B,OH,OW,C] -> [B,OH*sh-cutH,OW*sw-cutW,C]: each value followed by (stride-1) zeros along H and W. */
function spreadByStride(backend: BackendWasm, dy: tf.TensorInfo, sh: number, sw: number, cutH: number, cutW: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return reshape(backend, dy, dy.shape);
  const [b, oh, ow, c] = dy.shape as [number, number, number, number];
  const r6 = reshape(backend, dy, [b, oh, 1, ow, 1, c]);
  const padded = runKernel(backend, 'PadV2', { x: r6 }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  const spread = reshape(backend, padded, [b, oh * sh, ow * sw, c]);
  disposeInfos(backend, r6, padded);
  if (cutH === 0 && cutW === 0) return spread;
  const cut = slice(backend, spread, [0, 0, 0, 0], [b, oh * sh - cutH, ow * sw - cutW, c]);
  disposeInfos(backend, spread);
  return cut;
}

/**
 * dX by matrix product and col2im: cols = dY·Wᵀ ([pixels, KH*KW*Cin], XNNPACK), then every
 * patch row is added back onto the image (SIMD). Null when the SIMD kernels are unavailable.
 */
function conv2dBackpropInputCol2im(backend: BackendWasm, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const simd = getSimdKernels(backend);
  if (simd == null) return null;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const dy2 = reshape(backend, dy, [batchSize * outHeight * outWidth, outChannels]);
  const w2 = reshape(backend, filter, [filterHeight * filterWidth * inChannels, outChannels]);
  const cols = batchMatMul({ inputs: { a: dy2, b: w2 }, backend, attrs: { transposeA: false, transposeB: true } });
  disposeInfos(backend, dy2, w2);
  const dx = backend.makeOutput(info.inShape, 'float32');
  (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  simd.col2im(
    heapOffset(backend, cols), heapOffset(backend, dx), batchSize, outHeight, outWidth, filterHeight, filterWidth,
    inChannels, inHeight, inWidth, strideHeight, strideWidth, padInfo.top, padInfo.left,
  );
  disposeInfos(backend, cols);
  return dx;
}
