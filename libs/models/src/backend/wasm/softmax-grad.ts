import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The gradient of softmax over the last axis as one kernel (training/loss.ts registers it). */
export const SOFTMAX_GRAD = 'HzSoftmaxGrad';

/** dlogits = y * (dy - sum(dy * y)) per row, tfjs' Softmax gradient (mul, sum, mul, sub) in one pass. */
export function softmaxGrad(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm }): tf.TensorInfo {
  const { backend } = args;
  const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const k = y.shape.at(-1) as number;
  const out = backend.makeOutput(y.shape, 'float32');
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const p = backend.typedArrayFromHeap(y) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  for (let base = 0; base < p.length; base += k) {
    let dot = 0;
    for (let j = base; j < base + k; j++) dot += Math.fround((g[j] as number) * (p[j] as number));
    for (let j = base; j < base + k; j++) dx[j] = Math.fround((g[j] as number) * (p[j] as number)) - Math.fround(dot) * (p[j] as number);
  }
  return out;
}
