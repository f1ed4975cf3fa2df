import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildLenet5 } from './lenet5';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildLenet5', () => {
  it('has the Keras parameter count on 28x28x1: 61,706', () => {
    // conv 5*5*1*6+6 = 156; conv 5*5*6*16+16 = 2,416; 5*5*16 = 400 -> dense 400*120+120 = 48,120;
    // 120*84+84 = 10,164; 84*10+10 = 850
    const model = buildLenet5();
    expect(model.countParams()).toBe(61_706);
    expect(model.getLayer('flatten').outputShape).toEqual([null, 400]);
    model.dispose();
  });

  it('flatten size follows the input size (the dense head depends on it)', () => {
    // 30: conv same 30 -> pool 15 -> conv valid 11 -> pool 5 (floor), so 5x5x16 again; 36 -> 18 -> 14 -> 7.
    const m30 = buildLenet5({ inputShape: [30, 30, 1] });
    expect(m30.getLayer('flatten').outputShape).toEqual([null, 5 * 5 * 16]);
    m30.dispose();
    const m36 = buildLenet5({ inputShape: [36, 36, 1] });
    expect(m36.getLayer('flatten').outputShape).toEqual([null, 7 * 7 * 16]);
    expect(m36.countParams()).toBe(61_706 + (7 * 7 - 5 * 5) * 16 * 120);
    m36.dispose();
  });

  it('defaults to relu convs and a sigmoid dense head, both configurable', () => {
    const model = buildLenet5();
    expect(model.getLayer('conv2d_1').getConfig().activation).toBe('relu');
    expect(model.getLayer('dense_1').getConfig().activation).toBe('sigmoid');
    model.dispose();
    const relu = buildLenet5({ denseActivation: 'relu', activation: 'elu' });
    expect(relu.getLayer('dense_2').getConfig().activation).toBe('relu');
    expect(relu.getLayer('conv2d_2').getConfig().activation).toBe('elu');
    relu.dispose();
  });

  it('names the layer that a too-small input breaks, and leaks nothing doing so', () => {
    const before = tf.memory().numTensors;
    expect(() => buildLenet5({ inputShape: [8, 8, 1] })).toThrow(
      'lenet5: input 8x8 gives a non-positive size at conv2d_2 (5x5 stride 1 on 4x4)',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
