import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const WASM = 'wasm';

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

/** Puts the backend's own kernel back (or none, where wasm has none). */
export function restoreWasmKernel(kernelName: string): void {
  const current = tf.getKernel(kernelName, WASM);
  if (current == null || !isOurs(current.kernelFunc)) return;
  tf.unregisterKernel(kernelName, WASM);
  const original = originalKernels.get(kernelName);
  if (original != null) tf.registerKernel({ kernelName, backendName: WASM, kernelFunc: original });
}

const ours = new Set<TKernelFunc>();
const isOurs = (f: TKernelFunc): boolean => ours.has(f);

type TTypedArray = Float32Array | Int32Array | Uint8Array;

/** dst[to..to+n) = src[from..from+n); a loop for short runs, where subarray+set costs more. */
export function copyRun(src: TTypedArray, from: number, dst: TTypedArray, to: number, n: number): void {
  if (n >= 32) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  for (let i = 0; i < n; i += 1) dst[to + i] = src[from + i] as number;
}
