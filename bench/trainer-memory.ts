/**
 * Memory of a trainer: runTraining (the worker's trainer code path) on tiny Fashion-MNIST data.
 *   npm run bench:memory -- --arch resnet                 # peak RSS of one run, fresh process
 *   npm run bench:memory -- --arch lenet5 --runs 50       # one process, 50 runs back to back
 *   npm run bench:memory -- --trainer --arch lenet5 --runs 50
 *       # the worker's warm trainer child (apps/worker TrainerPool) given 50 runs: its RSS (VmRSS,
 *       # peak VmHWM from /proc) and the tensors each run left, and whether the pool reused it
 * Cross-check the peak with `/usr/bin/time -v npx tsx bench/trainer-memory.ts --arch resnet`
 * ("Maximum resident set size"). Configurations follow bench-models.ts (alexnet: width 0.25 on
 * 67x67 inputs, resized by the data pipeline; googlenet/resnet: width 0.25; transfer: a lenet5
 * run's final model, frozen, new head). Prints one JSON line per run and a summary line.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { runTraining, ZBackendPreference } from '@hyperzoo/models';
import { ZRunConfig } from '@hyperzoo/schemas';
import type { TRunConfigInput } from '@hyperzoo/schemas';

import { TrainerPool } from '../apps/worker/src/trainer-pool';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    runs: { type: 'string', default: '1' },
    'per-class': { type: 'string', default: '32' },
    epochs: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'wasm' },
    trainer: { type: 'boolean', default: false },
  },
});

const CONFIGS: Record<string, TRunConfigInput> = {
  mlp: { architecture: 'mlp' },
  lenet5: { architecture: 'lenet5' },
  alexnet: { architecture: 'alexnet', width: 0.25, data: { inputSize: 67 } },
  googlenet: { architecture: 'googlenet', width: 0.25 },
  resnet: { architecture: 'resnet', width: 0.25 },
  transfer: { architecture: 'transfer', transfer: { fromRunId: 'backbone' } },
};
const base = CONFIGS[args.arch];
if (base == null) throw new Error(`--arch ${args.arch}: expected one of ${Object.keys(CONFIGS).join(', ')}`);
const backend = ZBackendPreference.parse(args.backend);
const perClass = Number(args['per-class']);
const config = (input: TRunConfigInput, seed: number) =>
  ZRunConfig.parse({
    ...input,
    data: { subsetPerClass: perClass, validationSize: 2 * perClass, testPerClass: Math.max(1, Math.floor(perClass / 4)), ...input.data },
    epochs: Number(args.epochs),
    checkpointEvery: 0,
    seed,
  });

const MB = 1024 * 1024;
const mb = (bytes: number): number => Math.round((10 * bytes) / MB) / 10;
const wasmHeapBytes = (): number | null => {
  // Emscripten's heap view: on the module object, missing from the package's types.
  const heap = ((tf.findBackend('wasm') as BackendWasm | null)?.wasm as { HEAPU8?: Uint8Array } | undefined)?.HEAPU8;
  return heap == null ? null : heap.length;
};

const artifactRoot = await mkdtemp(join(tmpdir(), 'hz-memory-'));
if (args.trainer) {
  try {
    await measureWarmTrainer();
  } finally {
    await rm(artifactRoot, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  if (args.arch === 'transfer') {
    // The backbone: a finished lenet5 run's final model, as transfer.fromRunId loads it.
    const r = await runTraining(config({ architecture: 'lenet5' }, 1), { checkpointDir: join(artifactRoot, 'backbone') }, { backend, artifactRoot });
    if (r.status !== 'succeeded') throw new Error(`backbone run ${r.status}: ${r.error}`);
  }
  const rows: Array<{ rssMb: number; tensors: number; tensorMb: number; wasmHeapMb: number | null }> = [];
  const runs = Number(args.runs);
  for (let run = 1; run <= runs; run += 1) {
    const started = performance.now();
    const result = await runTraining(config(base, 42 + run), { checkpointDir: join(artifactRoot, `run-${run}`) }, { backend, artifactRoot });
    if (result.status !== 'succeeded') throw new Error(`run ${run} ${result.status}: ${result.error}`);
    await rm(join(artifactRoot, `run-${run}`), { recursive: true, force: true });
    const memory = tf.memory();
    const row = {
      bench: 'trainer-memory',
      arch: args.arch,
      run,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      backend: result.backend,
      params: result.paramCount,
      rssMb: mb(process.memoryUsage().rss),
      peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
      heapUsedMb: mb(process.memoryUsage().heapUsed),
      wasmHeapMb: (() => {
        const bytes = wasmHeapBytes();
        return bytes == null ? null : mb(bytes);
      })(),
      tensors: memory.numTensors,
      tensorMb: mb(memory.numBytes),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const first = rows[0];
  const warm = rows[Math.min(rows.length - 1, 9)];
  const last = rows.at(-1);
  if (first && warm && last) {
    console.log(
      JSON.stringify({
        bench: 'trainer-memory',
        summary: true,
        arch: args.arch,
        runs,
        perClass,
        epochs: Number(args.epochs),
        peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
        rssAfterFirstMb: first.rssMb,
        rssAfterRun10Mb: warm.rssMb,
        rssAfterLastMb: last.rssMb,
        rssGrowthRun10ToLastMb: Math.round(10 * (last.rssMb - warm.rssMb)) / 10,
        maxRssMb: Math.max(...rows.map((r) => r.rssMb)),
        tensorsAfterFirst: first.tensors,
        tensorsAfterLast: last.tensors,
        tensorMbAfterLast: last.tensorMb,
        wasmHeapAfterFirstMb: first.wasmHeapMb,
        wasmHeapAfterLastMb: last.wasmHeapMb,
      }),
    );
  }
} finally {
  await rm(artifactRoot, { recursive: true, force: true });
}

/** VmRSS and VmHWM (peak) of a process, from /proc, in MB. */
function procMemoryMb(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: mb(kb('VmRSS') * 1024), peakRssMb: mb(kb('VmHWM') * 1024) };
}

/** The runs in the worker's own warm trainer child, through the pool that decides its reuse. */
async function measureWarmTrainer(): Promise<void> {
  const slot = { index: 0, cudaDevice: null };
  const pool = new TrainerPool({ backend, reuse: true });
  pool.prefork([slot]);
  const rows: Array<{ rssMb: number; peakRssMb: number; liveTensors: number | null; pid: number | undefined; reuse: string }> = [];
  const runOne = async (runId: string, input: TRunConfigInput, seed: number) => {
    const trainer = pool.acquire(slot);
    const started = performance.now();
    const exit = await trainer.run(
      { runId, config: config(input, seed), backend, checkpointDir: join(artifactRoot, runId), resumeFrom: null, artifactRoot },
      { onEpoch: () => undefined, onCheckpoint: () => undefined },
    );
    if (exit.result?.result.status !== 'succeeded') throw new Error(`${runId} ${exit.result?.result.status ?? 'crashed'}: ${exit.result?.result.error ?? exit.lastLog}`);
    const memory = trainer.pid === undefined ? { rssMb: NaN, peakRssMb: NaN } : procMemoryMb(trainer.pid);
    const reuse = pool.release(slot, trainer, exit);
    return { seconds: Math.round((performance.now() - started) / 100) / 10, pid: trainer.pid, runsInChild: trainer.runs, liveTensors: exit.idle?.liveTensors ?? null, reuse, params: exit.result.result.paramCount, ...memory };
  };
  try {
    if (args.arch === 'transfer') await runOne('backbone', { architecture: 'lenet5' }, 1);
    const runs = Number(args.runs);
    for (let run = 1; run <= runs; run += 1) {
      const row = await runOne(`run-${run}`, base as TRunConfigInput, 42 + run);
      await rm(join(artifactRoot, `run-${run}`), { recursive: true, force: true });
      rows.push(row);
      console.log(JSON.stringify({ bench: 'trainer-memory', trainer: true, arch: args.arch, run, ...row }));
    }
    const first = rows[0];
    const tenth = rows[Math.min(rows.length - 1, 9)];
    const last = rows.at(-1);
    if (!first || !tenth || !last) return;
    console.log(
      JSON.stringify({
        bench: 'trainer-memory',
        trainer: true,
        summary: true,
        arch: args.arch,
        runs,
        oneChild: new Set(rows.map((r) => r.pid)).size === 1,
        peakRssMb: Math.max(...rows.map((r) => r.peakRssMb)),
        rssAfterFirstMb: first.rssMb,
        rssAfterRun10Mb: tenth.rssMb,
        rssAfterLastMb: last.rssMb,
        rssGrowthRun10ToLastMb: Math.round(10 * (last.rssMb - tenth.rssMb)) / 10,
        maxRssMb: Math.max(...rows.map((r) => r.rssMb)),
        maxLiveTensors: Math.max(...rows.map((r) => r.liveTensors ?? Infinity)),
        load: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      }),
    );
  } finally {
    pool.close();
  }
}
