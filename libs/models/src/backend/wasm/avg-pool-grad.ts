import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { runKernel } from './kernel-utils';
import { getSimdKernels, heapOffset } from './simd/simd-kernels';

type TAttrs = { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number };

/**
 * Pools whose windows tile the input (filter = stride, no leading pad, as in LeNet) have a simple
 * gradient: each input pixel gets dy of its one window / window size, pixels past the last window
 * get 0. wasm's generic kernel takes ~1.4 ms for LeNet's first pool; this is a plain copy loop.
 * Overlapping or padded pools go to the backend's own kernel.
 */
export function avgPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const dy = args.inputs.dy as tf.TensorInfo;
  const input = args.inputs.input as tf.TensorInfo;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const tiles = filterHeight === strideHeight && filterWidth === strideWidth && padInfo.top === 0 && padInfo.left === 0;
  if (!tiles || info.dataFormat !== 'channelsLast') return runKernel(backend, 'AvgPoolGrad', { dy, input }, attrs);

  const dx = backend.makeOutput(input.shape, 'float32');
  const src = backend.typedArrayFromHeap(dy) as Float32Array;
  const dst = backend.typedArrayFromHeap(dx) as Float32Array;
  const coveredRows = Math.min(inHeight, outHeight * strideHeight);
  const coveredCols = Math.min(inWidth, outWidth * strideWidth);
  if (coveredRows < inHeight || coveredCols < inWidth) dst.fill(0);
  const scale = 1 / (filterHeight * filterWidth);
  const simd = getSimdKernels(backend);
  if (simd != null) {
    simd.avgPoolGradTiles(
      heapOffset(backend, dy), heapOffset(backend, dx), batchSize, inHeight, inWidth, inChannels, outHeight, outWidth,
      strideHeight, strideWidth, coveredRows, coveredCols, scale,
    );
    return dx;
  }
  const rowStride = inWidth * inChannels;
  for (let b = 0; b < batchSize; b += 1) {
    for (let y = 0; y < coveredRows; y += 1) {
      const srcRow = (b * outHeight + Math.floor(y / strideHeight)) * outWidth * inChannels;
      const dstRow = (b * inHeight + y) * rowStride;
      for (let xCol = 0; xCol < coveredCols; xCol += 1) {
        const s = srcRow + Math.floor(xCol / strideWidth) * inChannels;
        const d = dstRow + xCol * inChannels;
        for (let c = 0; c < inChannels; c += 1) dst[d + c] = (src[s + c] as number) * scale;
      }
    }
  }
  return dx;
}
