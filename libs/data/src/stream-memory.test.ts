import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { batchIterator } from './batches';
import { makeImages } from './test-utils/fixtures';

/**
 * 2,000 Fashion-MNIST-sized images resized to 227x227x3 float32 would be 1.24 GB if converted at once;
 * streamed, live tensor memory stays at about one batch and RSS grows by far less than the whole.
 */
describe('streaming memory bound', () => {
  it('keeps tensor memory at one batch and RSS growth bounded while resizing 2,000 images to 227x227x3', () => {
    const count = 2000;
    const batchSize = 32;
    const { images, labels } = makeImages(count, 28, 10);
    const set = { images, labels, count, height: 28, width: 28, channels: 1 };
    const wholeBytes = count * 227 * 227 * 3 * 4;
    const batchBytes = batchSize * 227 * 227 * 3 * 4 + batchSize * 10 * 4;

    const baseTensorBytes = tf.memory().numBytes;
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakTensorBytes = 0;
    let peakRss = 0;
    let seen = 0;
    for (const { xs, ys, size } of batchIterator(set, { batchSize, inputSize: 227, channels: 3, numClasses: 10, shuffleSeed: 1 })) {
      peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes - baseTensorBytes);
      peakRss = Math.max(peakRss, process.memoryUsage().rss - baseRss);
      expect(xs.shape).toEqual([size, 227, 227, 3]);
      seen += size;
      tf.dispose([xs, ys]);
    }
    expect(seen).toBe(count);
    expect(tf.memory().numBytes).toBe(baseTensorBytes);
    // Live tensors while a batch is held: exactly that batch.
    expect(peakTensorBytes).toBeLessThanOrEqual(batchBytes);
    // RSS: allocator slack for a few batches, nowhere near the 1.24 GB of the whole set.
    expect(peakRss).toBeLessThan(Math.min(400e6, wholeBytes / 3));
    console.log(`streamed ${count} images to 227x227x3: peak tensor bytes ${(peakTensorBytes / 1e6).toFixed(1)} MB, peak RSS growth ${(peakRss / 1e6).toFixed(1)} MB, whole set ${(wholeBytes / 1e9).toFixed(2)} GB`);
  });
});
