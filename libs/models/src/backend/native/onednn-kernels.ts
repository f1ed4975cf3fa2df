import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { replaceWasmKernel, restoreWasmKernel, runKernel } from '../wasm/kernel-utils';
import { WASM_TRAINING_KERNELS } from '../wasm/register-training-kernels';
import { heapOffset } from '../wasm/simd/simd-kernels';
import { loadOnednn } from './addon';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from './batch-norm';
import { RELU_GRAD } from './conv-relu';
import type { TConvGeometry, TOnednn } from './addon';

type TKernelFunc = tf.KernelConfig['kernelFunc'];
type TArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };
type TPoolAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};
type TConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
};

function geometry(info: tf.backend_util.Conv2DInfo): TConvGeometry {
  const p = info.padInfo;
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    p.top, p.left, p.bottom, p.right,
  ];
}

/** A new float32 tensor that `write` fills from its heap offset; freed again if `write` throws. */
function output(backend: BackendWasm, shape: number[], write: (offset: number) => void): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  try {
    write(heapOffset(backend, out));
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  }
  return out;
}

/** The wasm heap: fetched per call, since a grown wasm memory is a new ArrayBuffer. */
const heapOf = (backend: BackendWasm) => (backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer as ArrayBuffer;
const isF32 = (...ts: (tf.TensorInfo | undefined)[]) => ts.every((t) => t == null || t.dtype === 'float32');

/**
 * oneDNN's NHWC pooling is fast for whole 16-float vectors of channels and slow otherwise
 * (LeNet-5's 6 channels: 0.40 ms for the gradient against 0.07 ms by our wasm kernel).
 */
const vectorChannels = (t: tf.TensorInfo) => (t.shape[3] as number) % 16 === 0;

/** The kernel a oneDNN one replaced: ours where we have one, else the wasm backend's own. */
function replaced(name: string): TKernelFunc {
  return WASM_TRAINING_KERNELS[name] ?? ((args) => runKernel(args.backend as BackendWasm, name, args.inputs, args.attrs));
}

/** The kernels oneDNN's replace: ours (WASM_TRAINING_KERNELS) or, for AvgPool, wasm's own. */
export const ONEDNN_KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'AvgPool', 'AvgPoolGrad', 'MaxPoolGrad'] as const;

/**
 * Conv2D, FusedConv2D (no or per-channel bias, linear or relu) and both gradients, AvgPool and its
 * gradient, MaxPoolGrad by oneDNN; anything else (NCHW, other dtypes, other activations, shapes
 * oneDNN is slow at) goes to the kernel they replace.
 */
function onednnKernels(addon: TOnednn): Record<(typeof ONEDNN_KERNELS)[number], TKernelFunc> {
  const forward = (args: TArgs, bias: tf.TensorInfo | undefined, relu: boolean): tf.TensorInfo => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as TConvAttrs;
    const info = tf.backend_util.computeConv2DInfo(x.shape as never, filter.shape as never, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode);
    const b = bias == null ? -1 : heapOffset(args.backend, bias);
    return output(args.backend, info.outShape, (y) => addon.forward(heapOf(args.backend), geometry(info), heapOffset(args.backend, x), heapOffset(args.backend, filter), b, relu ? 1 : 0, y));
  };
  const nhwc = (a: tf.NamedAttrMap) => (a as unknown as TConvAttrs).dataFormat !== 'NCHW';
  return {
    Conv2D: (args) => {
      const a = args as unknown as TArgs;
      return nhwc(a.attrs) && isF32(a.inputs.x, a.inputs.filter) ? forward(a, undefined, false) : replaced('Conv2D')(args);
    },
    FusedConv2D: (args) => {
      const a = args as unknown as TArgs;
      const { x, filter, bias, preluActivationWeights } = a.inputs as Record<string, tf.TensorInfo | undefined>;
      const activation = (a.attrs as unknown as TConvAttrs).activation;
      const cout = (filter as tf.TensorInfo).shape[3];
      const biasOk = bias == null || (tf.util.sizeFromShape(bias.shape) === cout && bias.shape.at(-1) === cout);
      const ok = nhwc(a.attrs) && isF32(x, filter, bias) && preluActivationWeights == null && biasOk && (activation === 'linear' || activation === 'relu');
      return ok ? forward(a, bias, activation === 'relu') : replaced('FusedConv2D')(args);
    },
    Conv2DBackpropInput: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = attrs as unknown as TConvAttrs;
      if (!nhwc(attrs) || !isF32(dy, filter) || a.inputShape == null) return replaced('Conv2DBackpropInput')(args);
      const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as never, a.strides, 1, a.pad, a.dimRoundingMode);
      return output(backend, a.inputShape, (dx) => addon.backwardData(heapOf(backend), geometry(info), heapOffset(backend, dy), heapOffset(backend, filter), dx));
    },
    Conv2DBackpropFilter: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as TConvAttrs;
      if (!nhwc(attrs) || !isF32(x, dy) || a.filterShape == null) return replaced('Conv2DBackpropFilter')(args);
      const info = tf.backend_util.computeConv2DInfo(x.shape as never, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
      return output(backend, a.filterShape, (dw) => addon.backwardWeights(heapOf(backend), geometry(info), heapOffset(backend, x), heapOffset(backend, dy), dw));
    },
    AvgPool: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const x = inputs.x as tf.TensorInfo;
      const a = attrs as unknown as TPoolAttrs;
      if (x.shape.length !== 4 || !isF32(x) || !vectorChannels(x)) return replaced('AvgPool')(args);
      const info = tf.backend_util.computePool2DInfo(x.shape as never, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      return output(backend, info.outShape, (y) => addon.avgPool(heapOf(backend), geometry(info), heapOffset(backend, x), y));
    },
    AvgPoolGrad: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const a = attrs as unknown as TPoolAttrs;
      if (input.shape.length !== 4 || !isF32(dy, input) || !vectorChannels(input)) return replaced('AvgPoolGrad')(args);
      const info = tf.backend_util.computePool2DInfo(input.shape as never, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      // tfjs' gradient divides by the whole window even where it overlaps the padding (its forward
      // does not): keep that, as every tfjs backend does, and give oneDNN only unpadded pools.
      const p = info.padInfo;
      if (p.top + p.bottom + p.left + p.right > 0) return replaced('AvgPoolGrad')(args);
      return output(backend, input.shape, (dx) => addon.avgPoolGrad(heapOf(backend), geometry(info), heapOffset(backend, dy), dx));
    },
    MaxPoolGrad: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const a = attrs as unknown as TPoolAttrs;
      if (input.shape.length !== 4 || !isF32(dy, input)) return replaced('MaxPoolGrad')(args);
      const info = tf.backend_util.computePool2DInfo(input.shape as never, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      return output(backend, input.shape, (dx) => addon.maxPoolGrad(heapOf(backend), geometry(info), heapOffset(backend, input), heapOffset(backend, dy), dx));
    },
  };
}

/** The gradient of a relu fused into a convolution (./conv-relu.ts), from its output. */
function reluGradKernel(addon: TOnednn): TKernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as TArgs;
    const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    return output(backend, y.shape, (dz) => addon.reluGrad(heapOf(backend), tf.util.sizeFromShape(y.shape), heapOffset(backend, dy), heapOffset(backend, y), dz));
  };
}

/** [n, h, w, c]: every axis but the last folds into rows (the statistics run over them). */
function rowsByChannels(shape: number[]): number[] {
  const c = shape.at(-1) as number;
  return shape.length === 4 ? shape : [tf.util.sizeFromShape(shape) / c, 1, 1, c];
}

/** New float32 outputs that `write` fills from their heap offsets; all freed again if it throws. */
function outputs(backend: BackendWasm, shapes: [number[], number[], number[]], write: (offsets: [number, number, number]) => void): tf.TensorInfo[] {
  const outs = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
  try {
    write(outs.map((o) => heapOffset(backend, o)) as [number, number, number]);
  } catch (err) {
    for (const o of outs) backend.disposeData(o.dataId);
    throw err;
  }
  return outs;
}

/** Batch normalisation in training (./batch-norm.ts): y, mean, variance; and its gradient. */
function batchNormKernels(addon: TOnednn): Record<string, TKernelFunc> {
  return {
    [BATCH_NORM_TRAINING]: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const { x, scale, offset } = inputs as Record<'x' | 'scale' | 'offset', tf.TensorInfo>;
      const c = [x.shape.at(-1) as number];
      const at = (t: tf.TensorInfo) => heapOffset(backend, t);
      return outputs(backend, [x.shape, c, c], ([y, mean, variance]) =>
        addon.batchNormForward(heapOf(backend), rowsByChannels(x.shape), attrs.epsilon as number, at(x), at(scale), at(offset), y, mean, variance));
    },
    [BATCH_NORM_TRAINING_GRAD]: (args) => {
      const { inputs, attrs, backend } = args as unknown as TArgs;
      const { dy, x, scale, offset, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'offset' | 'mean' | 'variance', tf.TensorInfo>;
      const c = [x.shape.at(-1) as number];
      const at = (t: tf.TensorInfo) => heapOffset(backend, t);
      return outputs(backend, [x.shape, c, c], ([dx, dscale, doffset]) =>
        addon.batchNormBackward(heapOf(backend), rowsByChannels(x.shape), attrs.epsilon as number, at(x), at(mean), at(variance), at(dy), at(scale), at(offset), dx, dscale, doffset));
    },
  };
}

/**
 * A kernel that falls back to the one it replaced if oneDNN refuses a call (it throws rather than
 * crash on a shape it cannot take); said once per kernel.
 */
function withFallback(name: string, kernel: TKernelFunc): TKernelFunc {
  let warned = false;
  return (args) => {
    try {
      return kernel(args);
    } catch (err) {
      if (!warned) console.warn(`${name}: ${(err as Error).message}; using the wasm kernel`);
      warned = true;
      return replaced(name)(args);
    }
  };
}

/**
 * Puts oneDNN's convolutions in place of ours on the wasm backend (after registerWasmTrainingKernels)
 * where the addon builds and loads. Says whether they are in, and if not, why.
 */
export function registerOnednnConvKernels(): { active: true } | { active: false; reason: string } {
  const loaded = loadOnednn();
  if ('reason' in loaded) return { active: false, reason: loaded.reason };
  for (const [name, kernelFunc] of Object.entries(onednnKernels(loaded.addon))) replaceWasmKernel(name, withFallback(name, kernelFunc));
  // No wasm kernel to fall back to: the layer (zoo/batch-norm.ts) composes tfjs's ops where these are absent.
  for (const [name, kernelFunc] of Object.entries(batchNormKernels(loaded.addon))) replaceWasmKernel(name, kernelFunc);
  replaceWasmKernel(RELU_GRAD, reluGradKernel(loaded.addon));
  return { active: true };
}

/** Our wasm convolutions and pooling back in place of oneDNN's, the fused relu off (tests and benchmarks compare the two). */
export function unregisterOnednnConvKernels(): void {
  for (const name of ONEDNN_KERNELS) {
    const ours = WASM_TRAINING_KERNELS[name];
    if (ours == null) restoreWasmKernel(name);
    else replaceWasmKernel(name, ours);
  }
  restoreWasmKernel(RELU_GRAD);
}

/** tfjs's composed batch normalisation back in place of oneDNN's (tests and benchmarks compare the two). */
export function unregisterOnednnBatchNormKernels(): void {
  for (const name of [BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD]) restoreWasmKernel(name);
}
