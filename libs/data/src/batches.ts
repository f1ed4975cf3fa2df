import * as tf from '@tensorflow/tfjs';

import type { TPreprocess } from './preprocess';
import { createConverter } from './resize';
import { permute } from './split';
import type { ImageSet } from './types';

export interface BatchOptions {
  batchSize: number;
  /** Shuffle the order with this seed (use a different one per epoch); null/undefined keeps index order. */
  shuffleSeed?: number | null;
  /** Resize to inputSize x inputSize (bilinear, half-pixel centres as TF2's tf.image.resize); null keeps the size. */
  inputSize?: number | null;
  /** 1 -> 3 repeats the grey channel; 3 -> 1 takes the luminance; null keeps the set's channels. */
  channels?: 1 | 3 | null;
  preprocess?: TPreprocess;
  numClasses: number;
  /** Drop a last batch smaller than batchSize (default false: it is yielded with its real size). */
  dropRemainder?: boolean;
}

export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
  size: number;
}

/** Shape of the xs this iterator yields for a set (without the batch axis). */
export function getBatchShape(set: ImageSet, opts: Pick<BatchOptions, 'inputSize' | 'channels'>): [number, number, number] {
  return [opts.inputSize ?? set.height, opts.inputSize ?? set.width, opts.channels ?? set.channels];
}

/**
 * Yields batches as tensors made per batch (gather, resize, channel repeat and scaling happen per batch, in one
 * pass over the batch's pixels), so memory is bounded by the batch size, not the data set. The caller disposes
 * xs and ys.
 */
export function* batchIterator(set: ImageSet, opts: BatchOptions): Generator<Batch> {
  if (!(opts.batchSize >= 1)) throw new Error(`batchSize must be >= 1, got ${opts.batchSize}`);
  const [outH, outW, outC] = getBatchShape(set, opts);
  const { outPixels, convert } = createConverter({
    inHeight: set.height,
    inWidth: set.width,
    inChannels: set.channels,
    outSize: opts.inputSize ?? null,
    outChannels: outC,
    preprocess: opts.preprocess ?? 'scale01',
  });
  const order = opts.shuffleSeed == null ? null : permute(set.count, opts.shuffleSeed);
  const imageSize = set.height * set.width * set.channels;
  for (let start = 0; start < set.count; start += opts.batchSize) {
    const n = Math.min(opts.batchSize, set.count - start);
    if (n < opts.batchSize && opts.dropRemainder) break;
    const pixels = new Float32Array(n * outPixels);
    // One-hot here rather than tf.oneHot(...).toFloat(): one upload instead of three kernels per batch.
    const oneHot = new Float32Array(n * opts.numClasses);
    for (let k = 0; k < n; k++) {
      const i = order ? (order[start + k] as number) : start + k;
      convert(set.images.subarray(i * imageSize, (i + 1) * imageSize), pixels, k * outPixels);
      const label = set.labels[i] as number;
      if (label >= opts.numClasses) throw new Error(`label ${label} of image ${i} is outside 0..${opts.numClasses - 1}`);
      oneHot[k * opts.numClasses + label] = 1;
    }
    const xs = tf.tensor4d(pixels, [n, outH, outW, outC], 'float32');
    const ys = tf.tensor2d(oneHot, [n, opts.numClasses], 'float32');
    yield { xs, ys, size: n };
  }
}

/** Number of batches batchIterator yields. */
export function countBatches(count: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}
