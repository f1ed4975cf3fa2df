/**
 * runs.predict through the API: one image, the API enqueues it on the team's predict queue, a
 * worker process answers from its predictor child with the model already loaded (after a warm-up):
 *   npm run bench:predict-api -- [--arch lenet5] [--calls 200] [--json]
 * The model is bench-models.ts' configuration, saved as a run's final model in a fresh artifact
 * store. bench/predict.ts has the in-process figure for the same model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createHyperzooClient } from '@hyperzoo/client';
import { loadFashionMnistPackage } from '@hyperzoo/data';
import { initBackend, saveFinalModel } from '@hyperzoo/models';

import { BENCH_ARCHS } from '../bench-models';
import { percentile, round, startBenchStack } from './stack';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    calls: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const spec = BENCH_ARCHS.find((a) => a.arch === args.arch);
if (spec == null) throw new Error(`--arch ${args.arch}: expected one of ${BENCH_ARCHS.map((a) => a.arch).join(', ')}`);

const artifacts = await mkdtemp(join(tmpdir(), 'hz-bench-predict-'));
const stack = await startBenchStack();
try {
  const project = await stack.db.db.project.create({ data: { teamId: stack.seed.teamId, slug: 'bench', name: 'bench' } });
  const run = await stack.db.db.run.create({ data: { projectId: project.id, name: args.arch, config: {}, architecture: args.arch, dataset: 'fashion-mnist', status: 'succeeded' } });
  await initBackend('wasm');
  const model = spec.build();
  await saveFinalModel(join(artifacts, run.id), model);
  model.dispose();
  await stack.db.db.artifact.create({ data: { runId: run.id, kind: 'model', path: `${run.id}/final`, bytes: 0, sha256: '0'.repeat(64) } });
  await stack.startWorker({ HZ_ARTIFACT_DIR: artifacts, TFJS_BACKEND: 'wasm' });

  const fashion = loadFashionMnistPackage().train;
  const imageOf = (i: number) => Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => fashion.images[((i % 1000) * 784 + y * 28 + x)] ?? 0));
  const client = createHyperzooClient({ url: stack.url, apiKey: stack.seed.apiKey, timeoutMs: 120_000 });
  const predictOne = async (i: number) => {
    const started = performance.now();
    await client.runs.predict.mutate({ runId: run.id, image: { kind: 'pixels', pixels: imageOf(i) }, topK: 3 });
    return performance.now() - started;
  };
  const firstMs = await predictOne(0); // forks the predictor, inits the backend, loads the model
  for (let i = 1; i <= 20; i++) await predictOne(i);
  const latencies: number[] = [];
  for (let i = 0; i < Number(args.calls); i++) latencies.push(await predictOne(i));
  const row = {
    bench: 'predict-api',
    arch: args.arch,
    config: spec.config,
    backend: 'wasm',
    calls: latencies.length,
    firstCallMs: round(firstMs, 1),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
  };
  console.log(args.json ? JSON.stringify(row) : `${args.arch}: p50 ${row.p50Ms} ms per image through the API (first call ${row.firstCallMs} ms)`);
} finally {
  await stack.close();
  await rm(artifacts, { recursive: true, force: true });
}
