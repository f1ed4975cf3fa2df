import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../backend/init-backend';
import { CROSSENTROPY } from '../backend/wasm/categorical-crossentropy';
import { SOFTMAX_GRAD } from '../backend/wasm/softmax-grad';
import { crossentropyAndCorrect } from './loss';

type TCase = { name: string; labels: number[][]; predictions: number[][] };

/** Loss, correct count and both gradients on the active backend. */
async function evaluate({ labels, predictions }: TCase) {
  const y = tf.tensor2d(labels);
  const p = tf.tensor2d(predictions);
  const { loss, correct } = crossentropyAndCorrect(y, p);
  const [dLabels, dPredictions] = tf.grads((a: tf.Tensor, b: tf.Tensor) => crossentropyAndCorrect(a, b).loss)([y, p]) as [tf.Tensor, tf.Tensor];
  const out = { loss: await loss.data(), correct: await correct.data(), dLabels: await dLabels.data(), dPredictions: await dPredictions.data() };
  tf.dispose([y, p, loss, correct, dLabels, dPredictions]);
  return out;
}

const softmaxRows = (rows: number, classes: number, seed: number) =>
  tf.tidy(() => tf.softmax(tf.randomNormal([rows, classes], 0, 3, 'float32', seed)).arraySync() as number[][]);
const oneHot = (indices: number[], classes: number) => indices.map((i) => Array.from({ length: classes }, (_, j) => (j === i ? 1 : 0)));

const CASES: TCase[] = [
  { name: 'a batch of softmax outputs', labels: oneHot([0, 3, 9, 2, 2, 7, 1, 5], 10), predictions: softmaxRows(8, 10, 1) },
  // A probability of 0 and one of 1: the clip holds them (no gradient through it), as Keras.
  { name: 'certain and impossible classes', labels: oneHot([0, 1, 2], 3), predictions: [[1, 0, 0], [0, 1, 0], [0.2, 0.8, 0]] },
  // Rows that do not sum to 1 are normalised first; a tie in the predictions counts its first index.
  { name: 'unnormalised rows, ties, soft labels', labels: [[0.5, 0.5, 0], [0, 0, 1], [1, 0, 0]], predictions: [[2, 2, 1], [0.1, 0.1, 0.3], [0.4, 0.4, 0.2]] },
];

describe('crossentropyAndCorrect: one kernel each way on wasm, the same numbers as tfjs-layers\' metrics', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each(CASES)('$name', async (c) => {
    await tf.setBackend('wasm');
    expect(tf.getKernel(CROSSENTROPY, 'wasm')).toBeDefined();
    const fused = await evaluate(c);
    await tf.setBackend('cpu'); // no fused kernel there: tfjs-layers' composed metrics
    expect(tf.getKernel(CROSSENTROPY, 'cpu')).toBeUndefined();
    const composed = await evaluate(c);
    expect(fused.correct[0]).toBe(composed.correct[0]);
    expect(fused.loss[0]).toBeCloseTo(composed.loss[0] as number, 5);
    for (const key of ['dLabels', 'dPredictions'] as const) {
      // Relative: a gradient through a tiny probability is large.
      composed[key].forEach((v, i) => expect(Math.abs((fused[key][i] as number) - v), `${key}[${i}]`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
    }
  });

  it('softmax\'s gradient: one kernel on wasm, the same numbers as tfjs\' composition on cpu', async () => {
    const gradOn = async (backend: string) => {
      await tf.setBackend(backend);
      const logits = tf.randomNormal([6, 10], 0, 3, 'float32', 5);
      const dy = tf.randomNormal([6, 10], 0, 1, 'float32', 6);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), dy)))(logits);
      const out = await g.data();
      tf.dispose([logits, dy, g]);
      return out;
    };
    expect(tf.getKernel(SOFTMAX_GRAD, 'wasm')).toBeDefined();
    const fused = await gradOn('wasm');
    const composed = await gradOn('cpu');
    composed.forEach((v, i) => expect(Math.abs((fused[i] as number) - v), `[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v))));
  });

  it('leaves no tensor behind in a training step', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 2));
    const xs = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3).toFloat();
    const optimizer = tf.train.sgd(0.1);
    const step = () => {
      const loss = optimizer.minimize(() => crossentropyAndCorrect(ys, tf.softmax(tf.matMul(xs, w))).loss, true);
      loss?.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, xs, ys]);
  });
});
