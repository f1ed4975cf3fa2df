import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { ARCHITECTURES } from '@hyperzoo/schemas';

import { initBackend } from '../backend';
import { TINY_ZOO } from './testing/tiny-zoo';
import { trainOneStep } from './testing/train-one-step';

beforeAll(async () => {
  // Registers the training kernels wasm lacks (Conv2DBackpropFilter and friends).
  const info = await initBackend('wasm');
  expect(info.backend).toBe('wasm');
});

describe.each(ARCHITECTURES)('%s on the wasm backend', (arch) => {
  it('trains one step: finite loss and trainable weights move', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = TINY_ZOO[arch]();
    const result = await trainOneStep(model);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(result.maxWeightChange).toBeGreaterThan(0);
    model.optimizer.dispose();
    model.dispose();
  });
});
