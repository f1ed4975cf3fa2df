import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { OPTIMIZERS, ZOptimizer } from '@hyperzoo/schemas';

import { createOptimizer } from './optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Rule = (w: number, g: number, s: Record<string, number>, t: number) => number;

const LR = 0.1;
const EPS = 1e-7;

/** The Keras/TF update rules with Keras' default hyperparameters, one weight at a time (float64). */
const KERAS: Record<(typeof OPTIMIZERS)[number], Rule> = {
  sgd: (w, g, s) => {
    // SGD(momentum=0.9): v = m*v - lr*g; w += v
    s.v = 0.9 * (s.v ?? 0) - LR * g;
    return w + s.v;
  },
  adam: (w, g, s, t) => {
    s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
    s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
    const lrT = (LR * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    return w - (lrT * s.m) / (Math.sqrt(s.v) + EPS);
  },
  rmsprop: (w, g, s) => {
    s.ms = 0.9 * (s.ms ?? 0) + 0.1 * g * g;
    return w - (LR * g) / (Math.sqrt(s.ms) + EPS);
  },
  adagrad: (w, g, s) => {
    s.acc = (s.acc ?? 0.1) + g * g;
    return w - (LR * g) / (Math.sqrt(s.acc) + EPS);
  },
  adadelta: (w, g, s) => {
    s.accG = 0.95 * (s.accG ?? 0) + 0.05 * g * g;
    const update = (Math.sqrt((s.accU ?? 0) + EPS) / Math.sqrt(s.accG + EPS)) * g;
    s.accU = 0.95 * (s.accU ?? 0) + 0.05 * update * update;
    return w - LR * update;
  },
  adamax: (w, g, s, t) => {
    s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
    s.u = Math.max(0.999 * (s.u ?? 0), Math.abs(g));
    return w - ((LR / (1 - 0.9 ** t)) * s.m) / (s.u + EPS);
  },
};

/** Three steps on loss = sum(w^2) (gradient 2w) with our optimizer and with the Keras rule. */
function compare(name: (typeof OPTIMIZERS)[number]) {
  const start = [1, -0.5, 0.25];
  const w = tf.variable(tf.tensor1d(start));
  const optimizer = createOptimizer(ZOptimizer.parse({ name, learningRate: LR, momentum: name === 'sgd' ? 0.9 : 0 }));
  const expected = start.map((w0) => {
    const state: Record<string, number> = {};
    let x = w0;
    for (let t = 1; t <= 3; t++) x = KERAS[name](x, 2 * x, state, t);
    return x;
  });
  for (let t = 0; t < 3; t++) optimizer.minimize(() => w.square().sum() as tf.Scalar, false, [w]);
  const actual = Array.from(w.dataSync());
  optimizer.dispose();
  w.dispose();
  return { actual, expected };
}

describe('createOptimizer', () => {
  it.each(OPTIMIZERS)('%s follows the Keras update rule with Keras defaults', (name) => {
    const { actual, expected } = compare(name);
    actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i] as number, 5));
  });

  it('adadelta is not the plain SGD that tfjs 4.22 adadelta amounts to', () => {
    const { actual } = compare('adadelta');
    const w = tf.variable(tf.tensor1d([1, -0.5, 0.25]));
    const tfjs = tf.train.adadelta(LR, 0.95, EPS);
    for (let t = 0; t < 3; t++) tfjs.minimize(() => w.square().sum() as tf.Scalar, false, [w]);
    const sgd = [1, -0.5, 0.25].map((x) => x * (1 - 2 * LR) ** 3);
    Array.from(w.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(sgd[i] as number, 5));
    expect(Math.abs((actual[0] as number) - (sgd[0] as number))).toBeGreaterThan(0.1);
    tfjs.dispose();
    w.dispose();
  });
});
