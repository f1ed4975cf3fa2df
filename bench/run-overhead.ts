/**
 * The fixed cost of a run, cold (a fresh trainer process, as every run had before the warm pool)
 * against warm (the same trainer child reused, apps/worker/src/trainer-pool.ts). A tiny run on
 * wasm, timed from the worker's side of the IPC (TrainerProcess, the worker's own code path):
 *   npm run bench:run-overhead [-- --arch lenet5 --repeat 5 --per-class 4]
 * Phases: fork + tfjs import + backend init (the child's `ready`), data load + model build (up to
 * the trainer's "N params" log line), the first epoch (here a couple of batches plus validation),
 * and the rest (test evaluation, final model written, result). Cold and warm alternate.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ZRunConfig } from '@hyperzoo/schemas';

import { TrainerProcess } from '../apps/worker/src/trainer-process';
import type { TTrainerStart } from '../apps/worker/src/trainer-process';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    repeat: { type: 'string', default: '5' },
    'per-class': { type: 'string', default: '4' },
  },
});

const root = await mkdtemp(join(tmpdir(), 'hz-overhead-'));
let n = 0;
const start = (): TTrainerStart => {
  const runId = `run-${n++}`;
  return {
    runId,
    config: ZRunConfig.parse({
      architecture: args.arch,
      epochs: 1,
      batchSize: 32,
      checkpointEvery: 0,
      data: { dataset: 'fashion-mnist', subsetPerClass: Number(args['per-class']), validationSize: 0.2, testPerClass: 1 },
    }),
    backend: 'wasm',
    checkpointDir: join(root, runId),
    resumeFrom: null,
    artifactRoot: root,
  };
};

/** One run on `trainer`, with the time of each phase from t0 (ms). */
async function timedRun(trainer: TrainerProcess, t0: number) {
  const marks: { modelBuilt?: number; firstEpoch?: number } = {};
  const exit = await trainer.run(start(), {
    onEpoch: () => (marks.firstEpoch ??= performance.now() - t0),
    onCheckpoint: () => undefined,
    onLog: (line) => {
      if (/ params, input /.test(line)) marks.modelBuilt ??= performance.now() - t0;
    },
  });
  if (exit.result?.result.status !== 'succeeded') throw new Error(`run ended ${exit.result?.result.status ?? `without a result (${exit.lastLog})`}`);
  return { ...marks, total: performance.now() - t0 };
}

const r = (x: number | undefined) => (x === undefined ? null : Math.round(x));
const cold: Array<Record<string, number | null>> = [];
const warm: Array<Record<string, number | null>> = [];
const reused = new TrainerProcess({ cudaDevice: null, warmBackend: 'wasm' });
try {
  await reused.ready;
  await timedRun(reused, performance.now()); // its first run pays the data load; the warm ones after do not
  for (let i = 0; i < Number(args.repeat); i++) {
    const t0 = performance.now();
    const fresh = new TrainerProcess({ cudaDevice: null, warmBackend: 'wasm' });
    const ready = await fresh.ready;
    const forkAndBackend = performance.now() - t0;
    const c = await timedRun(fresh, t0);
    fresh.kill();
    cold.push({ forkAndBackend: r(forkAndBackend), childUptimeAtReady: ready, modelBuilt: r(c.modelBuilt), firstEpoch: r(c.firstEpoch), total: r(c.total) });
    const w = await timedRun(reused, performance.now());
    warm.push({ modelBuilt: r(w.modelBuilt), firstEpoch: r(w.firstEpoch), total: r(w.total) });
    console.log(JSON.stringify({ bench: 'run-overhead', i, cold: cold.at(-1), warm: warm.at(-1) }));
  }
  const median = (rows: Array<Record<string, number | null>>, key: string) => {
    const xs = rows.map((row) => row[key]).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)] ?? null;
  };
  const keys = ['forkAndBackend', 'modelBuilt', 'firstEpoch', 'total'];
  console.log(
    JSON.stringify({
      bench: 'run-overhead',
      summary: true,
      arch: args.arch,
      perClass: Number(args['per-class']),
      medianMs: { cold: Object.fromEntries(keys.map((k) => [k, median(cold, k)])), warm: Object.fromEntries(keys.slice(1).map((k) => [k, median(warm, k)])) },
      load: round1(loadavg()[0]),
    }),
  );
} finally {
  reused.kill();
  await rm(root, { recursive: true, force: true });
}

function round1(x: number | undefined): number | null {
  return x === undefined ? null : Math.round(x * 10) / 10;
}
