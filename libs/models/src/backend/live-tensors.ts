import * as tf from '@tensorflow/tfjs';

/** Tensors alive in this process's tfjs engine: 0 after a clean run (a warm trainer is reused only then). */
export function liveTensorCount(): number {
  return tf.memory().numTensors;
}
