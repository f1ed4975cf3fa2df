import * as tf from '@tensorflow/tfjs';

import { CROSSENTROPY, CROSSENTROPY_GRAD } from '../backend/wasm/categorical-crossentropy';
import { SOFTMAX_GRAD } from '../backend/wasm/softmax-grad';

/**
 * The batch's mean categorical cross-entropy (Keras', on probabilities) and its number of correct
 * predictions (categoricalAccuracy summed), from one forward pass. One kernel each way where the
 * backend has them (wasm), tfjs-layers' composed metrics elsewhere; the same numbers either way.
 */
export function crossentropyAndCorrect(labels: tf.Tensor, predictions: tf.Tensor): { loss: tf.Scalar; correct: tf.Scalar } {
  const fused = labels.dtype === 'float32' && predictions.dtype === 'float32' && predictions.rank >= 1 &&
    tf.util.arraysEqual(labels.shape, predictions.shape) && tf.getKernel(CROSSENTROPY, tf.getBackend()) != null;
  if (fused) {
    const [loss, correct] = tf.engine().runKernel(CROSSENTROPY, { labels, predictions }) as tf.Scalar[];
    return { loss: loss as tf.Scalar, correct: correct as tf.Scalar };
  }
  return tf.tidy(() => ({
    loss: tf.metrics.categoricalCrossentropy(labels, predictions).mean() as tf.Scalar,
    correct: tf.metrics.categoricalAccuracy(labels, predictions).sum() as tf.Scalar,
  }));
}

tf.registerGradient({
  kernelName: CROSSENTROPY,
  inputsToSave: ['labels', 'predictions'],
  gradFunc: (dys, saved) => {
    // The correct count has no gradient (as argMax's).
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const [labels, predictions] = saved as [tf.Tensor, tf.Tensor];
    // Both from one kernel call, here rather than in the closures (each runs in its own tidy).
    const [dPredictions, dLabels] = tf.engine().runKernel(CROSSENTROPY_GRAD, { dy, labels, predictions }) as tf.Tensor[];
    return { labels: () => dLabels as tf.Tensor, predictions: () => dPredictions as tf.Tensor };
  },
});

// The classifier's softmax: its gradient as one kernel where the backend has it, else tfjs' own
// composition (this replaces tfjs-core's gradient for Softmax, with the same math).
tf.registerGradient({
  kernelName: 'Softmax',
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [y] = saved as [tf.Tensor];
    const dim = (attrs as { dim: number }).dim;
    const last = dim === -1 || dim === y.rank - 1;
    if (last && y.dtype === 'float32' && tf.getKernel(SOFTMAX_GRAD, tf.getBackend()) != null) {
      const dLogits = tf.engine().runKernel(SOFTMAX_GRAD, { dy: dy as tf.Tensor, y }) as tf.Tensor;
      return { logits: () => dLogits };
    }
    const dyTimesY = tf.mul(dy as tf.Tensor, y);
    return { logits: () => tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y)) };
  },
});
