/**
 * Prediction with a loaded model, the way a finished run is served: the model written as a run's
 * `final/` (saveFinalModel), loaded back with loadBackbone, Fashion-MNIST images through
 * predictTopK (top-3 with class names):
 *   npm run bench:predict -- [--arch lenet5,resnet] [--backend wasm] [--single 300] [--batches 32,256] [--json]
 * Per arch: load time, latency of one image (p50/p90/p99 wall ms, tensor creation included, after
 * a warm-up), and images/s for batches (wall time over at least --batched-images images).
 * Architectures are bench-models.ts' configurations (resnet: ResNet-18 layout at width 0.25).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { datasetClassNames, loadFashionMnistPackage } from '@hyperzoo/data';
import { initBackend, loadBackbone, predictTopK, saveFinalModel, ZBackendPreference } from '@hyperzoo/models';

import { BENCH_ARCHS } from './bench-models';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5,resnet' },
    backend: { type: 'string', default: 'wasm' },
    single: { type: 'string', default: '300' },
    batches: { type: 'string', default: '32,256' },
    'batched-images': { type: 'string', default: '2048' },
    json: { type: 'boolean', default: false },
  },
});

const FASHION_MNIST_CLASSES = datasetClassNames('fashion-mnist') ?? [];
const backend = await initBackend(ZBackendPreference.parse(args.backend));
const fashion = loadFashionMnistPackage().train;
const PIXELS = 28 * 28;
/** Images start..start+n as a [n,28,28,1] tensor scaled to [0,1], as the data pipeline feeds them. */
const batchOf = (start: number, n: number): tf.Tensor4D => {
  const x = new Float32Array(n * PIXELS);
  for (let i = 0; i < n * PIXELS; i += 1) x[i] = (fashion.images[(start * PIXELS + i) % fashion.images.length] as number) / 255;
  return tf.tensor4d(x, [n, 28, 28, 1]);
};
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

for (const arch of args.arch.split(',')) {
  const spec = BENCH_ARCHS.find((a) => a.arch === arch);
  if (spec == null) throw new Error(`--arch ${arch}: expected one of ${BENCH_ARCHS.map((a) => a.arch).join(', ')}`);
  const root = await mkdtemp(join(tmpdir(), 'hz-predict-'));
  try {
    const built = spec.build();
    const dir = await saveFinalModel(root, built);
    built.dispose();
    const loadStarted = performance.now();
    const model = await loadBackbone(dir, { allowedRoots: [root] });
    const loadMs = performance.now() - loadStarted;

    const predictOne = async (i: number): Promise<number> => {
      const started = performance.now();
      const x = batchOf(i, 1);
      try {
        await predictTopK(model, x, 3, FASHION_MNIST_CLASSES);
      } finally {
        x.dispose();
      }
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i += 1) await predictOne(i);
    const latencies: number[] = [];
    for (let i = 0; i < Number(args.single); i += 1) latencies.push(await predictOne(i));

    const batched: Record<string, number> = {};
    for (const size of args.batches.split(',').map(Number)) {
      const rounds = Math.max(2, Math.ceil(Number(args['batched-images']) / size));
      const x = batchOf(0, size);
      await predictTopK(model, x, 3, FASHION_MNIST_CLASSES); // warm-up at this shape
      const started = performance.now();
      for (let r = 0; r < rounds; r += 1) await predictTopK(model, x, 3, FASHION_MNIST_CLASSES);
      batched[`batch${size}ImagesPerSec`] = Math.round((rounds * size) / ((performance.now() - started) / 1000));
      x.dispose();
    }
    const row = {
      bench: 'predict',
      arch,
      config: spec.config,
      params: model.countParams(),
      backend: backend.backend,
      device: backend.device,
      loadMs: round(loadMs, 1),
      singleImageCalls: latencies.length,
      p50Ms: round(percentile(latencies, 50)),
      p90Ms: round(percentile(latencies, 90)),
      p99Ms: round(percentile(latencies, 99)),
      singleImagesPerSec: Math.round(1000 / (latencies.reduce((a, b) => a + b, 0) / latencies.length)),
      ...batched,
      leakedTensors: 0,
    };
    const before = tf.memory().numTensors;
    await predictOne(0);
    row.leakedTensors = tf.memory().numTensors - before;
    console.log(args.json ? JSON.stringify(row) : `${arch}: p50 ${row.p50Ms} ms for one image; ${JSON.stringify(batched)}`);
    model.dispose();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
