// Batch normalisation in training as one kernel forward and one backward (oneDNN's, on wasm).
// tfjs composes it from moments and batchNorm: dozens of small kernels per layer and step, most of
// ResNet's non-convolution time. The gradient is the exact one of that composition.
import * as tf from '@tensorflow/tfjs';

export const BATCH_NORM_TRAINING = 'HzBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'HzBatchNormTrainingGrad';

/** Whether the active backend has the fused kernels (wasm with oneDNN). */
export function hasFusedBatchNormTraining(): boolean {
  return tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) != null;
}

/**
 * Normalises `x` over every axis but the last with the batch's own statistics, then scales and
 * shifts per channel. Returns y and the batch mean and (biased) variance, as tfjs-layers'
 * normalizeBatchInTraining does.
 */
export function fusedBatchNormTraining(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, epsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const out = tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale, offset }, { epsilon }) as tf.Tensor[];
  return [out[0] as tf.Tensor, out[1] as tf.Tensor, out[2] as tf.Tensor];
}

tf.registerGradient({
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale', 'offset'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    // Only y has a gradient: mean and variance feed the moving averages, off the loss's path.
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const [x, scale, offset, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    // One kernel gives all three; computed here, not in the closures, since the engine runs each
    // closure in its own tidy and would free the other two.
    const [dx, dscale, doffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, { dy, x, scale, offset, mean, variance }, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return { x: () => dx, scale: () => dscale, offset: () => doffset };
  },
});
