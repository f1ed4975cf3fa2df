import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { runKernel } from './kernel-utils';

/**
 * The engine clones every tensor it saves for backprop (Identity), and wasm's Identity copies the
 * data: about 55 copies per LeNet step, activations included. Tensors are immutable, so share the
 * buffer and count the reference, as the cpu backend (and wasm's own Reshape) do.
 */
export function identity(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm }): tf.TensorInfo {
  const { backend } = args;
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return runKernel(backend, 'Identity', { x });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
