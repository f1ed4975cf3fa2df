import * as tf from '@tensorflow/tfjs';

import { avgPoolGrad } from './avg-pool-grad';
import { fusedBatchNorm } from './batch-norm';
import { add, multiply, realDiv, sub } from './broadcast-binary';
import { cast } from './cast';
import { CROSSENTROPY, CROSSENTROPY_GRAD, categoricalCrossentropy, categoricalCrossentropyGrad } from './categorical-crossentropy';
import { concat } from './concat';
import { conv2d, fusedConv2d } from './conv2d';
import { batchMatMul, fusedMatMul } from './batch-mat-mul';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { conv2dBackpropInput } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise-conv2d-grads';
import { gatherV2 } from './gather-v2';
import { identity } from './identity';
import { replaceWasmKernel, restoreWasmKernel } from './kernel-utils';
import { maxPoolGrad } from './max-pool-grad';
import { mean } from './mean';
import { slice, splitV } from './slice';
import { SOFTMAX_GRAD, softmaxGrad } from './softmax-grad';
import { sum } from './sum';
import { tile } from './tile';

type TKernelFunc = tf.KernelConfig['kernelFunc'];

/** Kernels we add to (or replace in) the wasm backend; see docs/BENCHMARKS.md for why each one. */
export const WASM_TRAINING_KERNELS: Record<string, TKernelFunc> = {
  Conv2D: conv2d as unknown as TKernelFunc,
  FusedConv2D: fusedConv2d as unknown as TKernelFunc,
  Conv2DBackpropFilter: conv2dBackpropFilter as unknown as TKernelFunc,
  Conv2DBackpropInput: conv2dBackpropInput as unknown as TKernelFunc,
  BatchMatMul: batchMatMul as unknown as TKernelFunc,
  _FusedMatMul: fusedMatMul as unknown as TKernelFunc,
  AvgPoolGrad: avgPoolGrad as unknown as TKernelFunc,
  MaxPoolGrad: maxPoolGrad as unknown as TKernelFunc,
  Slice: slice as unknown as TKernelFunc,
  SplitV: splitV as unknown as TKernelFunc,
  GatherV2: gatherV2 as unknown as TKernelFunc,
  Identity: identity as unknown as TKernelFunc,
  Sum: sum as unknown as TKernelFunc,
  Mean: mean as unknown as TKernelFunc,
  Add: add as unknown as TKernelFunc,
  Sub: sub as unknown as TKernelFunc,
  Multiply: multiply as unknown as TKernelFunc,
  RealDiv: realDiv as unknown as TKernelFunc,
  Concat: concat as unknown as TKernelFunc,
  FusedBatchNorm: fusedBatchNorm as unknown as TKernelFunc,
  Cast: cast as unknown as TKernelFunc,
  Tile: tile as unknown as TKernelFunc,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dBackpropInput as unknown as TKernelFunc,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dBackpropFilter as unknown as TKernelFunc,
  [CROSSENTROPY]: categoricalCrossentropy as unknown as TKernelFunc,
  [CROSSENTROPY_GRAD]: categoricalCrossentropyGrad as unknown as TKernelFunc,
  [SOFTMAX_GRAD]: softmaxGrad as unknown as TKernelFunc,
};

/**
 * Registers the training kernels on the wasm backend (all, or the named ones). Call after
 * tf.setBackend('wasm') resolved, so the kernels they replace are set up. Idempotent.
 */
export function registerWasmTrainingKernels(names: string[] = Object.keys(WASM_TRAINING_KERNELS)): void {
  for (const name of names) {
    const kernelFunc = WASM_TRAINING_KERNELS[name];
    if (kernelFunc == null) throw new Error(`registerWasmTrainingKernels: no kernel '${name}'`);
    if (tf.getKernel(name, 'wasm')?.kernelFunc !== kernelFunc) replaceWasmKernel(name, kernelFunc);
  }
}

/** Puts wasm's own kernels back (benchmarks compare with them; training on wasm then fails). */
export function unregisterWasmTrainingKernels(): void {
  for (const name of Object.keys(WASM_TRAINING_KERNELS)) restoreWasmKernel(name);
}
