/**
 * Where a training step's JS time goes (V8 CPU profile over the timed steps only, after warm-up):
 *   npx tsx bench/js-profile.ts --arch lenet5 --steps 200 [--out step.cpuprofile]
 * Prints self time by function (top 40) and by package on stderr-free stdout as JSON lines.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { batchIterator, loadFashionMnistPackage } from '@hyperzoo/data';
import { initBackend } from '@hyperzoo/models';

import { BENCH_ARCHS } from './bench-models';
import { runTrainStep } from './train-step';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    batch: { type: 'string', default: '32' },
    steps: { type: 'string', default: '200' },
    top: { type: 'string', default: '40' },
    out: { type: 'string' },
  },
});
await initBackend('wasm');
const spec = BENCH_ARCHS.find((a) => a.arch === args.arch);
if (spec == null) throw new Error(`--arch ${args.arch}`);
const batchSize = Number(args.batch);
const steps = Number(args.steps);
const fashion = loadFashionMnistPackage().train;
const count = batchSize * steps;
const set = { ...fashion, count, images: fashion.images.subarray(0, count * 784), labels: fashion.labels.subarray(0, count) };
const model = spec.build();
const optimizer = tf.train.adam();
const epoch = async (): Promise<void> => {
  for (const { xs, ys } of batchIterator(set, { batchSize, shuffleSeed: 1, numClasses: 10 })) {
    await runTrainStep(model, optimizer, xs, ys);
    tf.dispose([xs, ys]);
  }
};
await epoch();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const cpu = process.cpuUsage();
await epoch();
const used = process.cpuUsage(cpu);
const { profile } = await session.post('Profiler.stop');
if (args.out) writeFileSync(args.out, JSON.stringify(profile));

type TNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
const nodes = new Map<number, TNode>((profile.nodes as TNode[]).map((n) => [n.id, n]));
const self = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
profile.samples?.forEach((id, i) => {
  const t = profile.timeDeltas?.[i] ?? 0;
  total += t;
  const cf = (nodes.get(id) as TNode).callFrame;
  const url = cf.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(libs|bench)\//, '$1/');
  const key = `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + t);
  const pkg = url.startsWith('wasm://') ? 'wasm' : url.startsWith('@') ? url.split('/').slice(0, 2).join('/') : url.split('/')[0] || cf.functionName;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
});
const ms = (us: number): number => Math.round(us / 10 / steps) / 100;
console.log(JSON.stringify({ arch: spec.arch, steps, cpuMsPerStep: Math.round((used.user + used.system) / 10 / steps) / 100, sampledMsPerStep: ms(total) }));
for (const [k, t] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(JSON.stringify({ package: k, msPerStep: ms(t) }));
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) console.log(JSON.stringify({ fn: k, msPerStep: ms(t) }));
