import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../init-backend';
import { randomTensor } from '../testing/compare-backends';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { getSimdKernels } from '../wasm/simd/simd-kernels';
import { FUSED_UPDATE_KERNEL } from './fused-update-kernel';
import { installFusedOptimizerUpdates, uninstallFusedOptimizerUpdates } from './install';

const OPTIMIZERS: Array<[string, () => tf.Optimizer]> = [
  ['adam (Keras defaults)', () => tf.train.adam(0.001, 0.9, 0.999, 1e-7)],
  ['adamax', () => tf.train.adamax(0.002, 0.9, 0.999, 1e-7)],
  ['adamax with decay', () => tf.train.adamax(0.002, 0.9, 0.999, 1e-7, 0.01)],
  ['rmsprop', () => tf.train.rmsprop(0.001, 0.9, 0, 1e-7)],
  ['rmsprop with momentum, centered', () => tf.train.rmsprop(0.001, 0.9, 0.5, 1e-7, true)],
  ['adagrad', () => tf.train.adagrad(0.01, 0.1)],
  ['adadelta', () => tf.train.adadelta(1, 0.95, 1e-7)],
  ['momentum', () => tf.train.momentum(0.01, 0.9)],
  ['momentum nesterov', () => tf.train.momentum(0.01, 0.9, true)],
  ['sgd', () => tf.train.sgd(0.05)],
];

const SHAPES = [[5, 5, 1, 6], [6], [40, 12]];
const STEPS = 4;

/** Trains fresh variables for STEPS steps of fixed pseudo-random gradients; returns every value and slot. */
async function runSteps(make: () => tf.Optimizer, tag: string): Promise<{ names: string[]; values: Float32Array[] }> {
  const vars = SHAPES.map((shape, i) => {
    const init = randomTensor(shape, 100 + i);
    return tf.variable(tf.tensor(init.values, shape), true, `${tag}/w${i}`);
  });
  const optimizer = make();
  for (let step = 0; step < STEPS; step += 1) {
    // Step 2 gives one variable no gradient (tfjs skips null tensors of the array form).
    const grads = vars.map((v, i) => {
      const g = randomTensor(v.shape, 1000 * step + i);
      return { name: v.name, tensor: step === 2 && i === 1 ? null : tf.tensor(g.values, v.shape) };
    });
    optimizer.applyGradients(grads as Array<{ name: string; tensor: tf.Tensor }>);
    tf.dispose(grads.flatMap((g) => (g.tensor ? [g.tensor] : [])));
  }
  const state = optimizerState(optimizer);
  const names = state.map((w) => w.name.replace(`${tag}/`, ''));
  const values = [...(await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>))), ...(await Promise.all(state.map((w) => w.tensor.data() as Promise<Float32Array>)))];
  optimizer.dispose();
  tf.dispose(vars);
  return { names, values };
}

/** Every variable an optimizer holds (tfjs' Adamax has no getWeights), in field order. */
function optimizerState(optimizer: tf.Optimizer): Array<{ name: string; tensor: tf.Tensor }> {
  const state: Array<{ name: string; tensor: tf.Tensor }> = [];
  for (const [field, value] of Object.entries(optimizer)) {
    if (value instanceof tf.Variable) state.push({ name: field, tensor: value });
    if (Array.isArray(value)) {
      for (const slot of value as Array<{ originalName?: string; variable?: unknown }>) {
        if (slot?.variable instanceof tf.Variable) state.push({ name: `${field}:${slot.originalName}`, tensor: slot.variable });
      }
    }
  }
  return state;
}

describe.each(['wasm', 'cpu'] as const)('fused optimizer updates on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => {
    installFusedOptimizerUpdates();
  });

  it.each(OPTIMIZERS)('%s: same weights and optimizer state as tfjs, bit for bit', async (name, make) => {
    uninstallFusedOptimizerUpdates();
    const expected = await runSteps(make, `${backend}-${name}-tfjs`);
    installFusedOptimizerUpdates();
    const spy = { calls: 0 };
    const kernel = tf.getKernel(FUSED_UPDATE_KERNEL, backend);
    expect(kernel).toBeDefined();
    const actual = await tf.profile(async () => runSteps(make, `${backend}-${name}-fused`)).then((p) => {
      spy.calls = p.kernelNames.filter((k) => k === FUSED_UPDATE_KERNEL).length;
      return p.result as unknown as { names: string[]; values: Float32Array[] };
    });
    expect(spy.calls).toBeGreaterThan(0);
    expect(actual.names).toEqual(expected.names);
    expect(actual.values.length).toBe(expected.values.length);
    actual.values.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(expected.values[i] as Float32Array)));
  });

  it('does not leak tensors', async () => {
    installFusedOptimizerUpdates();
    const v = tf.variable(tf.ones([10, 10]), true, `${backend}-leak/w`);
    const optimizer = tf.train.adam(0.01);
    const step = (): void => {
      const g = tf.onesLike(v);
      optimizer.applyGradients({ [v.name]: g });
      g.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i += 1) step();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    v.dispose();
  });
});

describe('fused adam on wasm', () => {
  it('runs through the SIMD kernel, so the wasm adam case above checks that kernel', async () => {
    await initBackend('wasm');
    expect(getSimdKernels(tf.backend() as unknown as BackendWasm)).not.toBeNull();
  });
});
