import type * as tf from '@tensorflow/tfjs';

import { batchMatMul } from './batch-mat-mul';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { conv2dBackpropInput } from './conv2d-backprop-input';
import { replaceWasmKernel } from './kernel-utils';

type TKernelFunc = tf.KernelConfig['kernelFunc'];

/** Kernels we add to (or replace in) the wasm backend; see docs/BENCHMARKS.md for why each one. */
export const WASM_TRAINING_KERNELS: Record<string, TKernelFunc> = {
  Conv2DBackpropFilter: conv2dBackpropFilter as unknown as TKernelFunc,
  Conv2DBackpropInput: conv2dBackpropInput as unknown as TKernelFunc,
  BatchMatMul: batchMatMul as unknown as TKernelFunc,
};

let registered = false;

/** Registers the training kernels on the wasm backend. Call after tf.setBackend('wasm') resolved. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const [name, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) replaceWasmKernel(name, kernelFunc);
  registered = true;
}
