/**
 * Our BatchMatMul against XNNPACK's (after explicit transposes, as before) on the matrix products
 * of the zoo's dense layers and conv-gradient paths, with a new B tensor every call as after an
 * optimizer step (XNNPACK caches packed weights by tensor):
 *   npx tsx bench/matmul-shapes.ts [--json]
 * CPU ms per call, median of 9.
 */
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { initBackend } from '@hyperzoo/models';

import { batchMatMul } from '../libs/models/src/backend/wasm/batch-mat-mul';
import { runKernel, transpose } from '../libs/models/src/backend/wasm/kernel-utils';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
await initBackend('wasm');
const backend = tf.backend() as BackendWasm;

const CASES: Array<[number[], number[], boolean, boolean, string]> = [
  [[32, 64], [64, 1024], false, false, 'alexnet dense_1 forward'],
  [[32, 1024], [1024, 1024], false, false, 'alexnet dense_2 forward'],
  [[32, 1024], [1024, 10], false, false, 'alexnet predictions forward'],
  [[32, 1024], [1024, 1024], false, true, 'alexnet dense_2 dX = dy·Wᵀ'],
  [[32, 1024], [32, 1024], true, false, 'alexnet dense_2 dW = xᵀ·dy'],
  [[32, 64], [32, 1024], true, false, 'alexnet dense_1 dW'],
  [[32, 784], [784, 300], false, false, 'mlp dense_1 forward'],
  [[32, 784], [32, 300], true, false, 'mlp dense_1 dW'],
  [[32, 300], [100, 300], false, true, 'mlp dense_2 dX'],
  [[32, 400], [400, 120], false, false, 'lenet5 dense_1 forward'],
  [[32, 400], [32, 120], true, false, 'lenet5 dense_1 dW'],
  [[32, 120], [400, 120], false, true, 'lenet5 dense_1 dX'],
  [[3200, 16], [150, 16], false, true, 'lenet5 conv2d_2 dX columns (col2im path)'],
  [[25088, 64], [32, 64], false, true, 'googlenet 1x1 conv dX (28x28, 64 -> 32)'],
];

const median = (f: () => tf.TensorInfo, fresh: () => void): number => {
  const times: number[] = [];
  for (let i = 0; i < 9; i += 1) {
    fresh();
    const t0 = process.cpuUsage();
    const out = f();
    const used = process.cpuUsage(t0);
    times.push((used.user + used.system) / 1000);
    backend.disposeData(out.dataId);
  }
  return times.sort((x, y) => x - y)[4] as number;
};
const xnnpack = (a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo => {
  const aa = transposeA ? transpose(backend, a, [1, 0]) : a;
  const bb = transposeB ? transpose(backend, b, [1, 0]) : b;
  const out = runKernel(backend, 'BatchMatMul', { a: aa, b: bb }, { transposeA: false, transposeB: false });
  if (aa !== a) backend.disposeData(aa.dataId);
  if (bb !== b) backend.disposeData(bb.dataId);
  return out;
};
for (const [aShape, bShape, transposeA, transposeB, name] of CASES) {
  const a = tf.randomUniform(aShape);
  const b0 = tf.randomUniform(bShape);
  let b = tf.add(b0, 0);
  const fresh = (): void => {
    b.dispose();
    b = tf.add(b0, 0);
  };
  const oursMs = median(() => batchMatMul({ inputs: { a, b }, backend, attrs: { transposeA, transposeB } }), fresh);
  const xnnpackMs = median(() => xnnpack(a, b, transposeA, transposeB), fresh);
  const row = { name, a: aShape, b: bShape, transposeA, transposeB, oursMs: Number(oursMs.toFixed(3)), xnnpackMs: Number(xnnpackMs.toFixed(3)), speedup: Number((xnnpackMs / oursMs).toFixed(2)) };
  console.log(args.json ? JSON.stringify(row) : `${name.padEnd(44)} ours ${row.oursMs.toFixed(3)} ms  xnnpack ${row.xnnpackMs.toFixed(3)} ms  x${row.speedup}`);
  tf.dispose([a, b0, b]);
}
