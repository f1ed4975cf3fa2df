import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { batchMatMul } from './batch-mat-mul';
import { disposeInfos, reshape, runKernel, slice, transpose } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';

type TAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * dW[kh,kw,ci,co] = sum over b,oy,ox of x[b, oy*s+kh-top, ox*s+kw-left, ci] * dy[b,oy,ox,co]:
 * a convolution of x (as [Cin,H,W,B]) with dy (as the filter [OH,OW,B,Cout]) at dilation = the
 * forward stride and the forward padding, which XNNPACK runs. Its output [Cin,KH',KW',Cout] can
 * exceed the kernel by the stride's rounding remainder, hence the slice.
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
  const { filterHeight, filterWidth, inChannels, outChannels, strideHeight, strideWidth, padInfo } = info;
  if (isPointwise(info)) {
    // 1x1, stride 1, no padding: dW = Xᵀ·dY over all pixels, one matrix product.
    const n = info.batchSize * info.inHeight * info.inWidth;
    const x2 = reshape(backend, x, [n, inChannels]);
    const dy2 = reshape(backend, dy, [n, outChannels]);
    const dW = batchMatMul({ inputs: { a: x2, b: dy2 }, backend, attrs: { transposeA: true, transposeB: false } });
    const out = reshape(backend, dW, attrs.filterShape);
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
