import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { batchIterator, countBatches, getBatchShape } from './batches';
import { applyPreprocess, type TPreprocess } from './preprocess';
import { createRng } from './split';
import type { ImageSet } from './types';

const set = (pixels: number[], count: number, height: number, width: number, channels: number, labels?: number[]): ImageSet => ({
  images: Uint8Array.from(pixels),
  labels: Uint8Array.from(labels ?? Array.from({ length: count }, (_, i) => i % 10)),
  count,
  height,
  width,
  channels,
});

const one = async (s: ImageSet, opts: Parameters<typeof batchIterator>[1]) => {
  const [b] = [...batchIterator(s, opts)];
  if (!b) throw new Error('no batch');
  try {
    return { xs: (await b.xs.array()) as number[][][][], ys: (await b.ys.array()) as number[][], shape: b.xs.shape };
  } finally {
    b.xs.dispose();
    b.ys.dispose();
  }
};

describe('batchIterator', () => {
  it('yields NHWC batches scaled to [0,1] with one-hot labels, the last one smaller', async () => {
    const s = set(Array.from({ length: 10 * 4 }, (_, i) => (i * 25) % 256), 10, 2, 2, 1);
    const batches = [...batchIterator(s, { batchSize: 4, numClasses: 10 })];
    expect(batches.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(countBatches(10, 4)).toBe(3);
    expect(batches[0]?.xs.shape).toEqual([4, 2, 2, 1]);
    expect(batches[2]?.ys.shape).toEqual([2, 10]);
    const first = (await batches[0]?.xs.data()) as Float32Array;
    expect(first[1]).toBeCloseTo(25 / 255, 6);
    expect(Array.from((await batches[1]?.ys.argMax(-1).data()) as Int32Array)).toEqual([4, 5, 6, 7]);
    batches.forEach((b) => tf.dispose([b.xs, b.ys]));
    expect([...batchIterator(s, { batchSize: 4, numClasses: 10, dropRemainder: true })].map((b) => (tf.dispose([b.xs, b.ys]), b.size))).toEqual([4, 4]);
  });

  it('shuffles with a seed: same seed same order, every image once', async () => {
    const s = set(Array.from({ length: 20 }, (_, i) => i), 20, 1, 1, 1, Array.from({ length: 20 }, () => 0));
    const order = async (seed: number) => {
      const out: number[] = [];
      for (const b of batchIterator(s, { batchSize: 6, numClasses: 2, shuffleSeed: seed, preprocess: 'none' })) {
        out.push(...Array.from(await b.xs.data()));
        tf.dispose([b.xs, b.ys]);
      }
      return out;
    };
    const a = await order(1);
    expect(await order(1)).toEqual(a);
    expect(await order(2)).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('resizes bilinearly with half-pixel centres (as TF2 tf.image.resize)', async () => {
    const { xs } = await one(set([0, 100], 1, 1, 2, 1), { batchSize: 1, numClasses: 10, inputSize: 4, preprocess: 'none' });
    // 1x2 -> 4x4: sample points at x = -0.25, 0.25, 0.75, 1.25 (clamped at the edges).
    expect(xs[0]?.[0]?.map((p) => p[0])).toEqual([0, 25, 75, 100]);
    expect(xs[0]?.map((row) => row[1]?.[0])).toEqual([25, 25, 25, 25]);
  });

  it('resizes to 227, repeats the grey channel to RGB and keeps a flat image flat', async () => {
    const s = set(new Array(28 * 28).fill(51), 1, 28, 28, 1);
    expect(getBatchShape(s, { inputSize: 227, channels: 3 })).toEqual([227, 227, 3]);
    const b = [...batchIterator(s, { batchSize: 1, numClasses: 10, inputSize: 227, channels: 3 })][0];
    if (!b) throw new Error('no batch');
    expect(b.xs.shape).toEqual([1, 227, 227, 3]);
    const [min, max] = await Promise.all([b.xs.min().data(), b.xs.max().data()]);
    expect(min[0]).toBeCloseTo(0.2, 5);
    expect(max[0]).toBeCloseTo(0.2, 5);
    tf.dispose([b.xs, b.ys]);
  });

  it('converts RGB to grey by luminance', async () => {
    const { xs } = await one(set([255, 0, 0], 1, 1, 1, 3), { batchSize: 1, numClasses: 10, channels: 1, preprocess: 'none' });
    expect(xs[0]?.[0]?.[0]?.[0]).toBeCloseTo(0.2989 * 255, 0);
  });

  it('applies per-backbone preprocessing', async () => {
    const rgb = set([10, 20, 30, 0, 127.5, 255], 2, 1, 1, 3);
    const pixel = async (preprocess: 'caffe' | 'tf' | 'torch' | 'scale01') =>
      (await one(rgb, { batchSize: 2, numClasses: 10, preprocess })).xs.map((im) => im[0]?.[0]);
    const caffe = (await pixel('caffe'))[0] as number[];
    [30 - 103.939, 20 - 116.779, 10 - 123.68].forEach((v, i) => expect(caffe[i]).toBeCloseTo(v, 3));
    const tfMode = (await pixel('tf'))[1] as number[];
    [-1, 127 / 127.5 - 1, 1].forEach((v, i) => expect(tfMode[i]).toBeCloseTo(v, 5));
    const torch = (await pixel('torch'))[0] as number[];
    expect(torch[0]).toBeCloseTo((10 / 255 - 0.485) / 0.229, 4);
    const grey = set([0], 1, 1, 1, 1);
    expect(() => [...batchIterator(grey, { batchSize: 1, numClasses: 10, preprocess: 'caffe' })]).toThrow(/'caffe' needs 3 channels, got 1/);
    const withRepeat = await one(grey, { batchSize: 1, numClasses: 10, preprocess: 'caffe', channels: 3 });
    expect(withRepeat.shape).toEqual([1, 1, 1, 3]);
  });

  it('rejects labels outside the classes', () => {
    expect(() => [...batchIterator(set([0], 1, 1, 1, 1, [10]), { batchSize: 1, numClasses: 10 })]).toThrow(/label 10 of image 0 is outside 0\.\.9/);
  });

  it('agrees with tfjs resizeBilinear (half-pixel) + channel ops + preprocessing', async () => {
    const rng = createRng(11);
    const cases: Array<[number, number, number, number, 1 | 3, TPreprocess]> = [
      [28, 28, 1, 227, 3, 'scale01'],
      [28, 28, 1, 20, 1, 'tf'],
      [9, 13, 3, 16, 3, 'caffe'],
      [12, 12, 3, 7, 1, 'none'],
      [10, 6, 3, 10, 3, 'torch'],
      // same size and channels: the copy without interpolation
      [28, 28, 1, 28, 1, 'scale01'],
      [9, 9, 3, 9, 3, 'caffe'],
    ];
    for (const [h, w, c, size, outC, preprocess] of cases) {
      const s = set(Array.from({ length: 2 * h * w * c }, () => Math.floor(rng() * 256)), 2, h, w, c);
      const got = await one(s, { batchSize: 2, numClasses: 10, inputSize: size, channels: outC, preprocess });
      const want = tf.tidy(() => {
        let x = tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(s.images), [2, h, w, c]), [size, size], false, true);
        if (c === 1 && outC === 3) x = tf.tile(x, [1, 1, 1, 3]);
        if (c === 3 && outC === 1) x = tf.image.rgbToGrayscale(x);
        return applyPreprocess(x, preprocess);
      });
      const diff = tf.tidy(() => tf.sub(tf.tensor(got.xs), want).abs().max());
      expect((await diff.data())[0], `${h}x${w}x${c} -> ${size}x${outC} ${preprocess}`).toBeLessThan(2e-3);
      tf.dispose([want, diff]);
    }
  });

  it('leaks no tensors', () => {
    const s = set(new Array(50 * 64).fill(9), 50, 8, 8, 1);
    const run = () => {
      for (const b of batchIterator(s, { batchSize: 16, numClasses: 10, inputSize: 12, channels: 3, shuffleSeed: 3, preprocess: 'tf' })) tf.dispose([b.xs, b.ys]);
    };
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
