/**
 * A/B of our wasm kernels inside one process, rounds interleaved, CPU time per step, so that other
 * load on a shared machine hits every variant alike:
 *   npx tsx bench/ab-kernels.ts --arch lenet5 --batch 32 --rounds 8 --steps 20 [--json]
 * Variants: "baseline" (wasm's own kernels plus only the Conv2DBackpropFilter it lacks, tfjs'
 * optimizer updates), "all" (every kernel of WASM_TRAINING_KERNELS and the fused optimizer
 * updates), and "all but X" for each X (for kernels a model does not use, these are controls
 * that show the noise). Variant order is shuffled every round.
 */
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { batchIterator, loadFashionMnistPackage } from '@hyperzoo/data';

import {
  initBackend, installFusedOptimizerUpdates, registerWasmTrainingKernels, uninstallFusedOptimizerUpdates, unregisterWasmTrainingKernels, WASM_TRAINING_KERNELS,
} from '@hyperzoo/models';

import { BENCH_ARCHS } from './bench-models';
import { timeKernels } from './kernel-timer';
import { runTrainStep } from './train-step';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    batch: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '8' },
    steps: { type: 'string', default: '20' },
    optimizer: { type: 'string', default: 'adam' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});

await initBackend('wasm');
const spec = BENCH_ARCHS.find((a) => a.arch === args.arch);
if (spec == null) throw new Error(`--arch ${args.arch}: expected one of ${BENCH_ARCHS.map((a) => a.arch).join(', ')}`);
const batchSize = Number(args.batch);
const all = Object.keys(WASM_TRAINING_KERNELS);
const variants: Array<{ name: string; kernels: string[]; fused: boolean }> = [
  { name: 'baseline', kernels: ['Conv2DBackpropFilter'], fused: false },
  { name: 'all', kernels: all, fused: true },
  { name: 'all but fused optimizer', kernels: all, fused: false },
  ...all.filter((k) => k !== 'Conv2DBackpropFilter').map((k) => ({ name: `all but ${k}`, kernels: all.filter((x) => x !== k), fused: true })),
].filter((v) => args.only == null || args.only.split(',').includes(v.name));

const model = spec.build();
const optimizer = tf.train[args.optimizer as 'adam']();
const fashion = loadFashionMnistPackage().train;
const set = { ...fashion, count: batchSize, images: fashion.images.subarray(0, batchSize * 28 * 28), labels: fashion.labels.subarray(0, batchSize) };
const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));

async function steps(n: number): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i += 1) {
    // One batch made per step the way the trainer's data path makes it.
    for (const { xs, ys } of batchIterator(set, { batchSize, numClasses: 10 })) {
      await runTrainStep(model, optimizer, xs, ys);
      tf.dispose([xs, ys]);
    }
  }
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000 / n;
}

for (let round = 0; round < Number(args.rounds); round += 1) {
  // A fresh order each round, so load that drifts within a round favours no variant.
  const order = [...variants].sort(() => Math.random() - 0.5);
  for (const v of order) {
    unregisterWasmTrainingKernels();
    registerWasmTrainingKernels(v.kernels);
    if (v.fused) installFusedOptimizerUpdates();
    else uninstallFusedOptimizerUpdates();
    await steps(2); // warm-up: XNNPACK operators, JIT
    samples.get(v.name)?.push(await steps(Number(args.steps)));
  }
}
registerWasmTrainingKernels();
installFusedOptimizerUpdates();
if (args.profile) await printKernelProfile();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const base = median(samples.get('baseline') ?? [Number.NaN]);
for (const v of variants) {
  const ms = median(samples.get(v.name) ?? []);
  const row = { arch: spec.arch, batchSize, variant: v.name, msPerStepCpu: Number(ms.toFixed(2)), imagesPerCpuSec: Math.round((batchSize / ms) * 1000), speedupVsBaseline: Number((base / ms).toFixed(2)) };
  console.log(args.json ? JSON.stringify(row) : `${v.name.padEnd(32)} ${row.msPerStepCpu.toFixed(2).padStart(7)} ms/step  ${String(row.imagesPerCpuSec).padStart(6)} img/s  x${row.speedupVsBaseline}`);
}

/** CPU time by kernel over `steps` steps with every kernel of ours registered, on stderr. */
async function printKernelProfile(): Promise<void> {
  const n = Number(args.steps);
  const stop = timeKernels('wasm');
  const ms = await steps(n);
  const times = stop();
  const total = [...times.values()].reduce((a, b) => a + b.ms, 0);
  console.error(`profile (all kernels of ours): ${ms.toFixed(2)} ms/step CPU, ${(total / n).toFixed(2)} ms/step inside kernels`);
  for (const [name, t] of [...times.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.error(`  ${name.padEnd(24)} ${(t.ms / n).toFixed(3).padStart(7)} ms/step ${((100 * t.ms) / total).toFixed(1).padStart(5)}%  ${t.calls / n} calls/step`);
  }
}
