import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { getSimdKernels, heapOffset } from './simd/simd-kernels';

type TAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * wasm's MaxPoolGrad drops the gradient of windows whose maximum is negative (it starts the
 * search from 0, not -infinity): wrong after batch norm, as in AlexNet. This one routes each dy
 * to the first maximum of its window, as the cpu backend (and TensorFlow) do.
 */
export function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs }): tf.TensorInfo {
  const { backend, attrs } = args;
  const dy = args.inputs.dy as tf.TensorInfo;
  const input = args.inputs.input as tf.TensorInfo;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const dx = backend.makeOutput(input.shape, 'float32');
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const simd = getSimdKernels(backend);
  if (simd != null) {
    simd.maxPoolGrad(
      heapOffset(backend, input), heapOffset(backend, dy), heapOffset(backend, dx), batchSize, inHeight, inWidth, channels,
      outHeight, outWidth, fh, fw, strideHeight, strideWidth, padInfo.top, padInfo.left,
    );
    return dx;
  }
  // Channels innermost, so every read walks memory in order; per channel the running maximum.
  const best = new Float32Array(channels);
  const at = new Int32Array(channels);
  for (let b = 0; b < batchSize; b += 1) {
    const xBatch = b * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy += 1) {
      const rowStart = oy * strideHeight - padInfo.top;
      const rMin = Math.max(0, rowStart);
      const rMax = Math.min(inHeight, rowStart + fh);
      for (let ox = 0; ox < outWidth; ox += 1) {
        const colStart = ox * strideWidth - padInfo.left;
        const cMin = Math.max(0, colStart);
        const cMax = Math.min(inWidth, colStart + fw);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let r = rMin; r < rMax; r += 1) {
          for (let col = cMin; col < cMax; col += 1) {
            const base = xBatch + (r * inWidth + col) * channels;
            for (let c = 0; c < channels; c += 1) {
              const v = x[base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c += 1) {
          const i = at[c] as number;
          if (i >= 0) out[i] = (out[i] as number) + (g[gBase + c] as number);
        }
      }
    }
  }
  return dx;
}
