import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM = 'wasm';

type TKernelFunc = tf.KernelConfig['kernelFunc'];

/** The wasm backend's own kernels that we replace, kept so a replacement can delegate to them. */
const originalKernels = new Map<string, TKernelFunc>();

/** Calls a wasm kernel directly (no engine bookkeeping, no tape), as backends compose kernels. */
export function runKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernelFunc = originalKernels.get(kernelName) ?? tf.getKernel(kernelName, WASM)?.kernelFunc;
  if (kernelFunc == null) throw new Error(`wasm backend has no '${kernelName}' kernel`);
  const out = kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel '${kernelName}' returned ${out.length} outputs, expected one`);
  return out;
}

/** Frees intermediate results of runKernel (they are not tracked by the engine). */
export function disposeInfos(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function transpose(backend: BackendWasm, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runKernel(backend, 'Transpose', { x }, { perm });
}

export function reshape(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return runKernel(backend, 'Reshape', { x }, { shape });
}

export function slice(backend: BackendWasm, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  return runKernel(backend, 'Slice', { x }, { begin, size });
}

/**
 * Registers `config` for wasm, replacing (and remembering) the backend's own kernel of that name.
 * Must run after the wasm backend is initialised, so the original kernel's setup already ran.
 */
export function replaceWasmKernel(kernelName: string, kernelFunc: TKernelFunc): void {
  const existing = tf.getKernel(kernelName, WASM);
  if (existing != null && !originalKernels.has(kernelName) && !isOurs(existing.kernelFunc)) {
    originalKernels.set(kernelName, existing.kernelFunc);
  }
  if (existing != null) tf.unregisterKernel(kernelName, WASM);
  ours.add(kernelFunc);
  tf.registerKernel({ kernelName, backendName: WASM, kernelFunc });
}

const ours = new Set<TKernelFunc>();
const isOurs = (f: TKernelFunc): boolean => ours.has(f);
