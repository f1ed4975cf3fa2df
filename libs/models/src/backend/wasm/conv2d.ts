import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { directConv, padColumns, padImages } from './conv-simd';
import { disposeInfos, runKernel } from './kernel-utils';
import { getSimdKernels } from './simd/simd-kernels';
import { winogradApplies, winogradConv, winogradInputSize } from './winograd';

type TConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};
type TFusedAttrs = TConvAttrs & { activation: string; leakyreluAlpha?: number };

/**
 * Forward convolution by our SIMD kernel (direct, 4 pixels x 8 channels register tiles over the
 * patch rows, no im2col and no weight packing) instead of XNNPACK, which re-creates its operator
 * and re-packs the weights whenever the filter tensor is new (every training step).
 */
export function conv2d(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TConvAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  return convSimd(backend, x, filter, attrs, null, false) ?? runKernel(backend, 'Conv2D', { x, filter }, attrs);
}

/** FusedConv2D with no or a per-channel bias and a linear or relu activation; others go to wasm's own. */
export function fusedConv2d(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TFusedAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const supported = preluActivationWeights == null && (attrs.activation === 'linear' || attrs.activation === 'relu');
  const cout = (filter as tf.TensorInfo).shape[3];
  const biasOk = bias == null || (bias.dtype === 'float32' && tf.util.sizeFromShape(bias.shape) === cout && bias.shape.at(-1) === cout);
  const out = supported && biasOk ? convSimd(backend, x as tf.TensorInfo, filter as tf.TensorInfo, attrs, bias ?? null, attrs.activation === 'relu') : null;
  return out ?? runKernel(backend, 'FusedConv2D', args.inputs, attrs);
}

function convSimd(backend: BackendWasm, x: tf.TensorInfo, filter: tf.TensorInfo, attrs: TConvAttrs, bias: tf.TensorInfo | null, relu: boolean): tf.TensorInfo | null {
  const simd = getSimdKernels(backend);
  if (simd == null || attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const conv = {
    batch: batchSize, outHeight, outWidth, kernelHeight: filterHeight, kernelWidth: filterWidth, channels: inChannels,
    strideHeight, strideWidth, filters: outChannels,
  };
  const winograd = winogradApplies(conv);
  const [rows, cols] = winograd
    ? winogradInputSize(outHeight, outWidth)
    : [(outHeight - 1) * strideHeight + filterHeight, (outWidth - 1) * strideWidth + filterWidth];
  const images = padImages(backend, simd, x, padInfo.top, padInfo.left, rows, cols);
  const w = padColumns(backend, simd, filter, filterHeight * filterWidth * inChannels, outChannels);
  const out = (winograd ? winogradConv : directConv)(backend, simd, images, w.data, conv, bias, relu);
  if (images.owned) disposeInfos(backend, images.data);
  if (w.owned) disposeInfos(backend, w.data);
  return out;
}
