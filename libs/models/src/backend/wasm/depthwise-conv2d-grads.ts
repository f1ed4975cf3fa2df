import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TAttrs = {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * Depthwise-convolution gradients, which the wasm backend lacks: plain loops over the heap,
 * correct rather than fast. The zoo's own models have no depthwise layers; fine-tuning a
 * converted backbone with separable convolutions (Xception, MobileNet) needs them.
 */
function visitTaps(
  info: tf.backend_util.Conv2DInfo,
  visit: (xIndex: number, dyIndex: number, wIndex: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  const multiplier = outChannels / inChannels;
  for (let b = 0; b < batchSize; b += 1) {
    for (let oy = 0; oy < outHeight; oy += 1) {
      for (let ox = 0; ox < outWidth; ox += 1) {
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let kh = 0; kh < filterHeight; kh += 1) {
          const r = oy * strideHeight + kh - padInfo.top;
          if (r < 0 || r >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw += 1) {
            const q = ox * strideWidth + kw - padInfo.left;
            if (q < 0 || q >= inWidth) continue;
            const xBase = ((b * inHeight + r) * inWidth + q) * inChannels;
            const wBase = (kh * filterWidth + kw) * outChannels;
            for (let c = 0; c < inChannels; c += 1) {
              for (let m = 0; m < multiplier; m += 1) visit(xBase + c, dyBase + c * multiplier + m, wBase + c * multiplier + m);
            }
          }
        }
      }
    }
  }
}

/** Dilation 1 only, as tfjs' depthwise gradient itself requires. */
function depthwiseInfo(xShape: number[], filterShape: number[], attrs: TAttrs): tf.backend_util.Conv2DInfo {
  if (!tf.backend_util.tupleValuesAreOne(attrs.dilations)) throw new Error('wasm depthwise conv gradients: dilation rates > 1 are not supported');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

export function depthwiseConv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs & { inputShape: number[] } }): tf.TensorInfo {
  const { backend, attrs } = args;
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  const info = depthwiseInfo(attrs.inputShape, filter.shape, attrs);
  const dxInfo = backend.makeOutput(attrs.inputShape, 'float32');
  const dx = backend.typedArrayFromHeap(dxInfo) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  dx.fill(0);
  visitTaps(info, (xi, di, wi) => {
    dx[xi] = (dx[xi] as number) + (g[di] as number) * (w[wi] as number);
  });
  return dxInfo;
}

export function depthwiseConv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TAttrs & { filterShape: number[] } }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const info = depthwiseInfo(x.shape, attrs.filterShape, attrs);
  const sums = new Float64Array(tf.util.sizeFromShape(attrs.filterShape));
  const dWInfo = backend.makeOutput(attrs.filterShape, 'float32');
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  visitTaps(info, (xi, di, wi) => {
    sums[wi] = (sums[wi] as number) + (xs[xi] as number) * (g[di] as number);
  });
  (backend.typedArrayFromHeap(dWInfo) as Float32Array).set(sums);
  return dWInfo;
}
