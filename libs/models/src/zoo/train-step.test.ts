import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { ARCHITECTURES } from '@hyperzoo/schemas';

import { TINY_ZOO } from './testing/tiny-zoo';
import { trainOneStep } from './testing/train-one-step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(ARCHITECTURES)('%s on the cpu backend', (arch) => {
  it('trains one step: finite loss, trainable weights move, frozen ones do not, no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const model = TINY_ZOO[arch]();
    const result = await trainOneStep(model);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(result.maxWeightChange).toBeGreaterThan(0);
    if (arch === 'transfer') expect(result.maxNonTrainableChange).toBe(0);
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
