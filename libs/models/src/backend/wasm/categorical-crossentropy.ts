import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Keras' categorical cross-entropy on probabilities, averaged over the batch, and the batch's
 * correct predictions (categoricalAccuracy summed), as two kernels instead of the ~40 small ones
 * (with their gradients and saved copies) tfjs composes them from: on LeNet-5 and a frozen
 * backbone's head, engine overhead per kernel is most of a step. See training/loss.ts.
 */
export const CROSSENTROPY = 'HzCategoricalCrossentropy';
export const CROSSENTROPY_GRAD = 'HzCategoricalCrossentropyGrad';

type TArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm };

// tfjs-layers' epsilon() and the clip bounds as the float32 clipByValue kernel sees them.
const LOW = Math.fround(1e-7);
const HIGH = Math.fround(1 - 1e-7);

/** Rows (examples) and classes: the last axis holds the classes. */
function rows(predictions: tf.TensorInfo): { n: number; k: number } {
  const k = predictions.shape.at(-1) as number;
  return { n: predictions.shape.reduce((a, b) => a * b, 1) / k, k };
}

/** [mean loss, correct count]: loss_i = -sum_k y_ik log(clip(p_ik / sum_k p_ik, eps, 1 - eps)). */
export function categoricalCrossentropy(args: TArgs): tf.TensorInfo[] {
  const { backend } = args;
  const { labels, predictions } = args.inputs as { labels: tf.TensorInfo; predictions: tf.TensorInfo };
  const { n, k } = rows(predictions);
  const outs = [backend.makeOutput([], 'float32'), backend.makeOutput([], 'float32')] as [tf.TensorInfo, tf.TensorInfo];
  const y = backend.typedArrayFromHeap(labels) as Float32Array;
  const p = backend.typedArrayFromHeap(predictions) as Float32Array;
  let loss = 0;
  let correct = 0;
  for (let i = 0, base = 0; i < n; i++, base += k) {
    let s = 0;
    let yBest = 0;
    let pBest = 0;
    for (let j = 0; j < k; j++) {
      const pj = p[base + j] as number;
      s += pj;
      if ((y[base + j] as number) > (y[base + yBest] as number)) yBest = j;
      if (pj > (p[base + pBest] as number)) pBest = j;
    }
    for (let j = 0; j < k; j++) {
      const q = Math.fround((p[base + j] as number) / s);
      loss -= (y[base + j] as number) * Math.log(Math.min(Math.max(q, LOW), HIGH));
    }
    if (yBest === pBest) correct += 1;
  }
  (backend.typedArrayFromHeap(outs[0]) as Float32Array)[0] = loss / n;
  (backend.typedArrayFromHeap(outs[1]) as Float32Array)[0] = correct;
  return outs;
}

/** [d predictions, d labels] of the mean loss, given its upstream gradient dy (a scalar). */
export function categoricalCrossentropyGrad(args: TArgs): tf.TensorInfo[] {
  const { backend } = args;
  const { dy, labels, predictions } = args.inputs as { dy: tf.TensorInfo; labels: tf.TensorInfo; predictions: tf.TensorInfo };
  const { n, k } = rows(predictions);
  const outs = [backend.makeOutput(predictions.shape, 'float32'), backend.makeOutput(labels.shape, 'float32')] as [tf.TensorInfo, tf.TensorInfo];
  const g = ((backend.typedArrayFromHeap(dy) as Float32Array)[0] as number) / n;
  const y = backend.typedArrayFromHeap(labels) as Float32Array;
  const p = backend.typedArrayFromHeap(predictions) as Float32Array;
  const dp = backend.typedArrayFromHeap(outs[0]) as Float32Array;
  const dLabels = backend.typedArrayFromHeap(outs[1]) as Float32Array;
  for (let i = 0, base = 0; i < n; i++, base += k) {
    let s = 0;
    for (let j = 0; j < k; j++) s += p[base + j] as number;
    // d/dq of -y log(clip(q)) (zero where the clip holds q), then through q = p / s.
    let dot = 0;
    for (let j = 0; j < k; j++) {
      const q = Math.fround((p[base + j] as number) / s);
      const c = Math.min(Math.max(q, LOW), HIGH);
      const dq = q >= LOW && q <= HIGH ? (-g * (y[base + j] as number)) / c : 0;
      dp[base + j] = dq;
      dot += dq * q;
      dLabels[base + j] = -g * Math.log(c);
    }
    for (let j = 0; j < k; j++) dp[base + j] = ((dp[base + j] as number) - dot) / s;
  }
  return outs;
}
