/**
 * Conv gradient implementations side by side on the exact shapes a zoo model's training step uses:
 *   npx tsx bench/conv-grads.ts --arch googlenet [--rounds 5] [--json]
 * Records every Conv2D / FusedConv2D / Conv2DBackpropFilter / Conv2DBackpropInput call of one step,
 * then times each implementation (ours direct, ours by Winograd where it applies, XNNPACK) (CPU ms per call, median of interleaved rounds) and checks that they agree.
 */
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { batchIterator, loadFashionMnistPackage } from '@hyperzoo/data';
import { initBackend } from '@hyperzoo/models';

import { conv2dBackpropFilterByConv, conv2dBackpropFilterSimd } from '../libs/models/src/backend/wasm/conv2d-backprop-filter';
import { conv2d, fusedConv2d } from '../libs/models/src/backend/wasm/conv2d';
import { conv2dBackpropInput } from '../libs/models/src/backend/wasm/conv2d-backprop-input';
import { runKernel } from '../libs/models/src/backend/wasm/kernel-utils';
import { getSimdKernels } from '../libs/models/src/backend/wasm/simd/simd-kernels';
import { setWinogradEnabled } from '../libs/models/src/backend/wasm/winograd';
import { BENCH_ARCHS } from './bench-models';
import { runTrainStep } from './train-step';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'googlenet' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
await initBackend('wasm');
const backend = tf.backend() as BackendWasm;
const simd = getSimdKernels(backend);
if (simd == null) throw new Error('wasm SIMD kernels unavailable');
const spec = BENCH_ARCHS.find((a) => a.arch === args.arch);
if (spec == null) throw new Error(`--arch ${args.arch}`);

const KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;
type TCall = { kernel: (typeof KERNELS)[number]; names: string[]; shapes: number[][]; attrs: Record<string, unknown>; count: number };
const calls = new Map<string, TCall>();
const originals = KERNELS.map((kernel) => {
  const config = tf.getKernel(kernel, 'wasm') as tf.KernelConfig;
  tf.unregisterKernel(kernel, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (a) => {
      const names = Object.keys(a.inputs).filter((n) => a.inputs[n] != null);
      const shapes = names.map((n) => (a.inputs[n] as tf.TensorInfo).shape);
      const key = `${kernel} ${JSON.stringify(shapes)} ${JSON.stringify(a.attrs)}`;
      const seen = calls.get(key);
      if (seen) seen.count += 1;
      else calls.set(key, { kernel, names, shapes, attrs: { ...a.attrs }, count: 1 });
      return config.kernelFunc(a);
    },
  });
  return config;
});
const model = spec.build();
const optimizer = tf.train.adam();
const fashion = loadFashionMnistPackage().train;
for (const { xs, ys } of batchIterator({ ...fashion, count: 32 }, { batchSize: 32, numClasses: 10 })) {
  await runTrainStep(model, optimizer, xs, ys);
  tf.dispose([xs, ys]);
}
for (const config of originals) {
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

const cpuMs = (f: () => tf.TensorInfo): { ms: number; out: tf.TensorInfo } => {
  const t0 = process.cpuUsage();
  const out = f();
  const used = process.cpuUsage(t0);
  return { ms: (used.user + used.system) / 1000, out };
};
/** Runs f with our Winograd path on or off (3x3 stride-1 convs only; others are the same either way). */
const withWinograd = (on: boolean, f: () => tf.TensorInfo): tf.TensorInfo => {
  setWinogradEnabled(on);
  try {
    return f();
  } finally {
    setWinogradEnabled(true);
  }
};
type TFusedConvAttrs = Parameters<typeof fusedConv2d>[0]['attrs'];
type TBackpropInputAttrs = Parameters<typeof conv2dBackpropInput>[0]['attrs'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
let totals: Record<string, number> = {};
for (const call of calls.values()) {
  const inputs = call.shapes.map((s) => tf.randomUniform(s, -1, 1));
  // Recorded from a real call of this kernel, so it has that kernel's attributes.
  const attrs = call.attrs as TFusedConvAttrs & TBackpropInputAttrs & { filterShape: [number, number, number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  let variants: Record<string, () => tf.TensorInfo>;
  const named = Object.fromEntries(call.names.map((n, i) => [n, inputs[i] as tf.Tensor]));
  if (call.kernel === 'Conv2D' || call.kernel === 'FusedConv2D') {
    const ours = call.kernel === 'Conv2D' ? conv2d : fusedConv2d;
    variants = {
      simd: () => withWinograd(false, () => ours({ inputs: named, backend, attrs })),
      winograd: () => withWinograd(true, () => ours({ inputs: named, backend, attrs })),
      xnnpack: () => runKernel(backend, call.kernel, named, attrs),
    };
  } else if (call.kernel === 'Conv2DBackpropFilter') {
    const [x, dy] = inputs as [tf.Tensor4D, tf.Tensor4D];
    const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    variants = {
      simd: () => withWinograd(false, () => conv2dBackpropFilterSimd(backend, simd, x, dy, info)),
      winograd: () => withWinograd(true, () => conv2dBackpropFilterSimd(backend, simd, x, dy, info)),
      conv: () => conv2dBackpropFilterByConv(backend, x, dy, info),
    };
  } else {
    const [dy, filter] = inputs as [tf.Tensor4D, tf.Tensor4D];
    variants = {
      current: () => withWinograd(false, () => conv2dBackpropInput({ inputs: { dy, filter }, backend, attrs })),
      winograd: () => withWinograd(true, () => conv2dBackpropInput({ inputs: { dy, filter }, backend, attrs })),
    };
  }
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  let reference: Float32Array | null = null;
  let worst = 0;
  for (let round = 0; round <= Number(args.rounds); round += 1) {
    for (const [name, f] of Object.entries(variants).sort(() => Math.random() - 0.5)) {
      const { ms, out } = cpuMs(f);
      if (round > 0) samples[name]?.push(ms);
      const values = backend.readSync(out.dataId) as Float32Array;
      if (reference == null) reference = values.slice();
      else {
        const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
        values.forEach((v, i) => void (worst = Math.max(worst, Math.abs(v - (reference as Float32Array)[i]!) / scale)));
      }
      backend.disposeData(out.dataId);
    }
  }
  tf.dispose(inputs);
  const row: Record<string, unknown> = { kernel: call.kernel, shapes: call.shapes, strides: attrs.strides, pad: attrs.pad, callsPerStep: call.count, maxRelativeDifference: Number(worst.toExponential(1)) };
  for (const [name, xs] of Object.entries(samples)) {
    row[`${name}Ms`] = Number(median(xs).toFixed(2));
    totals = { ...totals, [`${call.kernel} ${name}`]: (totals[`${call.kernel} ${name}`] ?? 0) + median(xs) * call.count };
  }
  console.log(args.json ? JSON.stringify(row) : Object.values(row).map((v) => JSON.stringify(v)).join('  '));
}
console.log(JSON.stringify({ arch: spec.arch, msPerStep: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Number(v.toFixed(1))])) }));
