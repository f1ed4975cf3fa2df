import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

const wasmBytes = () => (tf.memory() as { numBytesInWASMMemory?: number }).numBytesInWASMMemory;

/**
 * Trains `model` (Adam, mean squared error against random targets, in training mode) and expects
 * every step after the first to leave no tensor and no wasm memory behind. Disposes the model.
 */
export function expectTrainingLeaksNothing(model: tf.LayersModel, steps = 20): void {
  const [, ...shape] = model.inputs[0]?.shape ?? [];
  const xs = tf.randomUniform([4, ...shape.map(Number)]);
  const ys = tf.randomUniform([4, Number(model.outputs[0]?.shape.at(-1))]);
  const optimizer = tf.train.adam(0.01);
  const step = () => optimizer.minimize(() => tf.losses.meanSquaredError(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)?.dispose();
  step();
  const tensors = tf.memory().numTensors;
  const bytes = wasmBytes();
  for (let i = 0; i < steps; i++) step();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(wasmBytes()).toBe(bytes);
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
}
