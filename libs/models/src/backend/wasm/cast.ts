import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { identity } from './identity';
import { runKernel } from './kernel-utils';

/**
 * A cast to the tensor's own dtype shares the buffer (tensors are immutable), as the cpu backend
 * does; wasm's copies it. The relu gradient casts step(x), already float32, every step.
 */
export function cast(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: { dtype: tf.DataType } }): tf.TensorInfo {
  const { backend, attrs } = args;
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === attrs.dtype && x.dtype !== 'string') return identity({ inputs: { x }, backend });
  return runKernel(backend, 'Cast', { x }, attrs);
}
