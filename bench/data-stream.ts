/**
 * Streams Fashion-MNIST training images through batchIterator resized to SxSx3 (course AlexNet: 227) and reports
 * throughput, peak live tensor bytes and peak RSS growth, against what the whole set would need at once.
 * Usage: npx tsx bench/data-stream.ts [--count 60000] [--size 227] [--batch 32] [--backend wasm|cpu]
 */
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchIterator, loadDataset } from '@hyperzoo/data';
import { ZDataConfig } from '@hyperzoo/schemas';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '60000' },
    size: { type: 'string', default: '227' },
    batch: { type: 'string', default: '32' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const size = Number(values.size);
const batchSize = Number(values.batch);
await tf.setBackend(values.backend);
await tf.ready();

const data = await loadDataset(ZDataConfig.parse({ validationSize: 1 }), { seed: 1, cacheDir: process.env.HZ_DATA_CACHE });
// Train plus the held-out image: the whole 60,000 training split.
const count = Math.min(Number(values.count), data.train.count);
const set = { ...data.train, count, images: data.train.images.subarray(0, count * 784), labels: data.train.labels.subarray(0, count) };

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const baseBytes = tf.memory().numBytes;
const baseRss = process.memoryUsage().rss;
let peakBytes = 0;
let peakRss = 0;
let seen = 0;
const started = performance.now();
for (const { xs, ys, size: n } of batchIterator(set, { batchSize, inputSize: size, channels: 3, numClasses: 10, shuffleSeed: 1 })) {
  await xs.data(); // make sure the batch is really computed
  peakBytes = Math.max(peakBytes, tf.memory().numBytes - baseBytes);
  peakRss = Math.max(peakRss, process.memoryUsage().rss - baseRss);
  seen += n;
  tf.dispose([xs, ys]);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    backend: tf.getBackend(),
    source: data.provenance.source,
    images: seen,
    shape: [size, size, 3],
    batchSize,
    seconds: Number(seconds.toFixed(1)),
    imagesPerSecond: Math.round(seen / seconds),
    peakTensorBytes: mb(peakBytes),
    peakRssGrowth: mb(peakRss),
    wholeSetFloat32: mb(seen * size * size * 3 * 4),
    leftoverTensorBytes: tf.memory().numBytes - baseBytes,
  }),
);
