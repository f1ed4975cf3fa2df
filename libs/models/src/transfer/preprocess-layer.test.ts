import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { BackbonePreprocessLayer } from './preprocess-layer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const run = (layer: BackbonePreprocessLayer, x: tf.Tensor) => {
  const y = layer.apply(x) as tf.Tensor;
  const values = Array.from(y.dataSync());
  const shape = y.shape;
  y.dispose();
  return { values, shape };
};

describe('BackbonePreprocessLayer', () => {
  it("'caffe' flips RGB to BGR and subtracts the ImageNet BGR mean, on 0-255 values", () => {
    const layer = new BackbonePreprocessLayer({ height: 1, width: 1, channels: 3, mode: 'caffe' });
    const x = tf.tensor4d([[[[10, 20, 30]]]]);
    const { values } = run(layer, x);
    expect(values.map((v) => Number(v.toFixed(3)))).toEqual([30 - 103.939, 20 - 116.779, 10 - 123.68].map((v) => Number(v.toFixed(3))));
    x.dispose();
  });

  it("'tf' scales 0-255 to [-1, 1]; pixelScale first brings [0,1] data to 0-255", () => {
    const layer = new BackbonePreprocessLayer({ height: 1, width: 2, channels: 1, mode: 'tf', pixelScale: 255 });
    const x = tf.tensor4d([[[[0], [1]]]]);
    expect(run(layer, x).values).toEqual([-1, 1]);
    x.dispose();
  });

  it('resizes to the backbone size and repeats a grey channel to RGB', () => {
    const layer = new BackbonePreprocessLayer({ height: 4, width: 4, channels: 3, mode: 'none' });
    const x = tf.fill([2, 2, 2, 1], 7);
    const { values, shape } = run(layer, x);
    expect(shape).toEqual([2, 4, 4, 3]);
    expect(values.every((v) => Math.abs(v - 7) < 1e-5)).toBe(true);
    expect(layer.computeOutputShape([null, 28, 28, 1])).toEqual([null, 4, 4, 3]);
    expect(() => layer.computeOutputShape([null, 28, 28, 2])).toThrow(/cannot turn 2 channels into the backbone's 3/);
    x.dispose();
  });

  it('serializes its config', () => {
    const layer = new BackbonePreprocessLayer({ height: 8, width: 9, channels: 3, mode: 'caffe', pixelScale: 255 });
    expect(layer.getConfig()).toMatchObject({ height: 8, width: 9, channels: 3, mode: 'caffe', pixelScale: 255 });
    expect(BackbonePreprocessLayer.className).toBe('HzBackbonePreprocess');
  });
});
