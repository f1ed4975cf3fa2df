import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import type { OPTIMIZERS } from '@hyperzoo/schemas';

import { initBackend } from '../init-backend';
import { randomTensor } from '../testing/compare-backends';
import { computeLoss, SMALL_CONV_MODELS, withFixedRandom } from '../testing/small-conv-models';

const GRAD_TOLERANCE = 1e-4;
const BATCH = 6;

const MAKE_OPTIMIZER: Record<(typeof OPTIMIZERS)[number] | 'sgd-momentum', () => tf.Optimizer> = {
  adam: () => tf.train.adam(0.01, 0.9, 0.999, 1e-7),
  sgd: () => tf.train.sgd(0.1),
  'sgd-momentum': () => tf.train.momentum(0.1, 0.9),
  rmsprop: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
  adagrad: () => tf.train.adagrad(0.1, 0.1),
  adadelta: () => tf.train.adadelta(1, 0.95, 1e-7),
  adamax: () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7),
};

function batchFor(shape: [number, number, number], seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const x = randomTensor([BATCH, ...shape], seed);
  const labels = Array.from({ length: BATCH }, (_, i) => (i * 7 + seed) % 10);
  return { xs: tf.tensor(x.values, x.shape), ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() };
}

/** Loss and gradients of every trainable weight on `backend`, from the same starting weights. */
async function gradientsOn(backend: string, model: tf.LayersModel, logits: boolean, start: tf.Tensor[], shape: [number, number, number]) {
  await tf.setBackend(backend);
  model.setWeights(start);
  const { xs, ys } = batchFor(shape, 3);
  const { value, grads } = withFixedRandom(() => tf.variableGrads(() => computeLoss(model, logits, xs, ys)));
  const names = Object.keys(grads);
  const out = { loss: (await value.data())[0] as number, names, grads: await Promise.all(names.map((n) => grads[n]?.data() as Promise<Float32Array>)) };
  tf.dispose([value, xs, ys, ...Object.values(grads)]);
  return out;
}

/** One optimizer step on `backend`; returns the loss and every weight after the step. */
async function stepOn(backend: string, model: tf.LayersModel, logits: boolean, start: tf.Tensor[], shape: [number, number, number], make: () => tf.Optimizer) {
  await tf.setBackend(backend);
  model.setWeights(start);
  const { xs, ys } = batchFor(shape, 5);
  const optimizer = make();
  const loss = withFixedRandom(() => optimizer.minimize(() => computeLoss(model, logits, xs, ys), true)) as tf.Scalar;
  const result = { loss: (await loss.data())[0] as number, weights: await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>)) };
  tf.dispose([loss, xs, ys]);
  optimizer.dispose();
  return result;
}

const relError = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i += 1) {
    scale = Math.max(scale, Math.abs(b[i] as number));
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return worst / (scale || 1);
};

describe.each(SMALL_CONV_MODELS)('$name', ({ build, logits = false, inputShape }) => {
  let model: tf.LayersModel;
  let start: tf.Tensor[];
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend('cpu');
    model = build();
    start = model.getWeights().map((w) => w.clone());
  });

  it('has the same loss and gradients on wasm as on cpu', async () => {
    const cpu = await gradientsOn('cpu', model, logits, start, inputShape);
    const wasm = await gradientsOn('wasm', model, logits, start, inputShape);
    expect(wasm.names).toEqual(cpu.names);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    cpu.grads.forEach((g, i) => expect(relError(wasm.grads[i] as Float32Array, g), cpu.names[i]).toBeLessThan(GRAD_TOLERANCE));
  });

  it.each(Object.entries(MAKE_OPTIMIZER))('trains one %s step on wasm as on cpu', async (_name, make) => {
    const cpu = await stepOn('cpu', model, logits, start, inputShape, make);
    const wasm = await stepOn('wasm', model, logits, start, inputShape, make);
    expect(Number.isFinite(wasm.loss)).toBe(true);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    const moved = wasm.weights.some((w, i) => relError(w, start[i]?.dataSync() as Float32Array) > 0);
    expect(moved).toBe(true);
    // Updates are small next to the weights, so compare the change each backend made.
    wasm.weights.forEach((w, i) => {
      const before = start[i]?.dataSync() as Float32Array;
      const deltaWasm = w.map((v, j) => v - (before[j] as number));
      const deltaCpu = (cpu.weights[i] as Float32Array).map((v, j) => v - (before[j] as number));
      expect(relError(deltaWasm, deltaCpu)).toBeLessThan(1e-3);
    });
  });
});
