import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildLenet5 } from '../zoo/lenet5';
import { freezeLayers, unfreezeForFineTuning } from './freeze';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const trainableNames = (m: tf.LayersModel) => m.layers.filter((l) => l.trainable).map((l) => l.name);

describe('freezeLayers', () => {
  it('freezes up to a named layer inclusive, or the first n layers (Keras layers[:n])', () => {
    const model = buildLenet5();
    expect(freezeLayers(model, 'average_pooling2d_2')).toBe(5);
    expect(trainableNames(model)).toEqual(['flatten', 'dense_1', 'dense_2', 'predictions']);
    expect(model.trainableWeights.length).toBe(6);
    expect(freezeLayers(model, 2)).toBe(2);
    expect(trainableNames(model)[0]).toBe('average_pooling2d_1');
    expect(freezeLayers(model, 0)).toBe(0);
    expect(model.trainableWeights.length).toBe(10);
    model.dispose();
  });

  it('says which layers exist when the name is wrong, and refuses impossible counts', () => {
    const model = buildLenet5();
    expect(() => freezeLayers(model, 'conv9')).toThrow("freeze: no layer 'conv9' in lenet5 (layers: input, conv2d_1,");
    expect(() => freezeLayers(model, 99)).toThrow('freeze: cannot freeze 99 layers of lenet5, which has 9');
    model.dispose();
  });
});

describe('unfreezeForFineTuning', () => {
  it('makes nested layers trainable again', () => {
    const inner = buildLenet5();
    const input = tf.input({ shape: [28, 28, 1] });
    const outer = tf.model({ inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor });
    freezeLayers(inner, inner.layers.length);
    expect(outer.trainableWeights.length).toBe(0);
    unfreezeForFineTuning(outer);
    expect(outer.trainableWeights.length).toBe(10);
    outer.dispose();
  });
});
