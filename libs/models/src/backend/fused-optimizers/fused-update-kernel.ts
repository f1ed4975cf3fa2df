import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { getSimdKernels, heapOffset } from '../wasm/simd/simd-kernels';
import { applyUpdateRule, type TUpdateRule } from './update-rules';

/** One kernel for every rule: inputs value, gradient, slot0..slotN and scalar-state tensors. */
export const FUSED_UPDATE_KERNEL = 'HzFusedOptimizerUpdate';

export type TFusedUpdateAttrs = { rule: TUpdateRule; slotCount: number; scalars: Record<string, number> };

const SLOT = (i: number): string => `slot${i}`;
export const slotInputName = SLOT;

type TKernelArgs = { inputs: tf.NamedTensorInfoMap; attrs: TFusedUpdateAttrs };
type TArrayAccess = {
  read: (t: tf.TensorInfo) => Float32Array;
  /** Allocates every output before any read, as a wasm allocation may move the heap. */
  allocate: (shape: number[], count: number) => { infos: tf.TensorInfo[]; arrays: () => Float32Array[] };
};

function runUpdate({ inputs, attrs }: TKernelArgs, access: TArrayAccess): tf.TensorInfo[] {
  const value = inputs.value as tf.TensorInfo;
  const gradient = inputs.gradient as tf.TensorInfo;
  if (value.dtype !== 'float32' || gradient.dtype !== 'float32') throw new Error(`${FUSED_UPDATE_KERNEL}: float32 variables only`);
  const outputs = access.allocate(value.shape, 1 + attrs.slotCount);
  const scalars = { ...attrs.scalars };
  for (const [name, info] of Object.entries(inputs)) {
    if (name !== 'value' && name !== 'gradient' && !name.startsWith('slot') && info != null) scalars[name] = access.read(info)[0] as number;
  }
  const slots = Array.from({ length: attrs.slotCount }, (_, i) => access.read(inputs[SLOT(i)] as tf.TensorInfo));
  const [outValue, ...outSlots] = outputs.arrays();
  applyUpdateRule(attrs.rule, scalars, { value: access.read(value), gradient: access.read(gradient), slots }, outValue as Float32Array, outSlots);
  return outputs.infos;
}

const f = Math.fround;

function wasmKernel(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: TFusedUpdateAttrs }): tf.TensorInfo[] {
  const { backend, inputs, attrs } = args;
  const simd = attrs.rule === 'adam' ? getSimdKernels(backend) : null;
  if (simd != null) {
    // Same float32 operations as update-rules.ts' adam, four lanes at a time (kernels.wat).
    const value = inputs.value as tf.TensorInfo;
    const [outValue, outM, outV] = [0, 1, 2].map(() => backend.makeOutput(value.shape, 'float32')) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const scalar = (name: string): number => (backend.typedArrayFromHeap(inputs[name] as tf.TensorInfo)[0] as number);
    const { beta1, beta2, epsilon, learningRate } = attrs.scalars as Record<string, number>;
    const at = (t: tf.TensorInfo): number => heapOffset(backend, t);
    simd.adam(
      at(value), at(inputs.gradient as tf.TensorInfo), at(inputs.slot0 as tf.TensorInfo), at(inputs.slot1 as tf.TensorInfo),
      at(outValue), at(outM), at(outV), tf.util.sizeFromShape(value.shape),
      f(beta1 as number), f(1 - (beta1 as number)), f(beta2 as number), f(1 - (beta2 as number)),
      f(1 - f(scalar('accBeta1'))), f(1 - f(scalar('accBeta2'))), f(epsilon as number), f(-(learningRate as number)),
    );
    return [outValue, outM, outV];
  }
  return runUpdate(args, {
    read: (t) => backend.typedArrayFromHeap(t) as Float32Array,
    allocate: (shape, count) => {
      const infos = Array.from({ length: count }, () => backend.makeOutput(shape, 'float32'));
      return { infos, arrays: () => infos.map((info) => backend.typedArrayFromHeap(info) as Float32Array) };
    },
  });
}

type TCpuBackend = tf.KernelBackend & {
  data: { get: (dataId: object) => { values: Float32Array } };
  makeTensorInfo: (shape: number[], dtype: tf.DataType, values: Float32Array) => tf.TensorInfo;
};

function cpuKernel(args: { inputs: tf.NamedTensorInfoMap; backend: TCpuBackend; attrs: TFusedUpdateAttrs }): tf.TensorInfo[] {
  const { backend } = args;
  return runUpdate(args, {
    read: (t) => backend.data.get(t.dataId).values,
    allocate: (shape, count) => {
      const arrays = Array.from({ length: count }, () => new Float32Array(tf.util.sizeFromShape(shape)));
      return { infos: arrays.map((values) => backend.makeTensorInfo(shape, 'float32', values)), arrays: () => arrays };
    },
  });
}

type TKernelFunc = tf.KernelConfig['kernelFunc'];

/** Registers the fused update for wasm and cpu (other backends keep tfjs' op-by-op updates). */
export function registerFusedUpdateKernels(): void {
  const configs: Array<[string, TKernelFunc]> = [
    ['wasm', wasmKernel as unknown as TKernelFunc],
    ['cpu', cpuKernel as unknown as TKernelFunc],
  ];
  for (const [backendName, kernelFunc] of configs) {
    if (tf.getKernel(FUSED_UPDATE_KERNEL, backendName) == null) tf.registerKernel({ kernelName: FUSED_UPDATE_KERNEL, backendName, kernelFunc });
  }
}
