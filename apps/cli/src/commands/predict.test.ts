// `hz predict` against the real API process and a real worker process that loads a run's saved model.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createArtifactClient } from '@hyperzoo/client/artifacts';
import { saveFinalModel } from '@hyperzoo/models';
import { FINAL_MODEL } from '@hyperzoo/models/checkpoint-layout';

import { runCli, startApiProcess } from '../testing';
import type { TApiProcess } from '../testing';
import { registerPredictCommand } from './predict';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
let api: TApiProcess;
let dir: string;
let worker: ChildProcess;
let runId: string;

/** A 28x28x1 -> 10 softmax model that always answers class 1 (Trouser) first: zero kernel, bias picks it. */
async function saveTrouserModel(root: string): Promise<void> {
  await tf.setBackend('cpu');
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'zeros' })] });
  const bias = tf.tensor1d([0, 4, 1, 0, 0, 0, 0, 0, 0, 0]);
  model.layers[1]?.setWeights([model.layers[1].getWeights()[0] as tf.Tensor, bias]);
  await saveFinalModel(root, model);
  bias.dispose();
  model.dispose();
}

beforeAll(async () => {
  api = await startApiProcess();
  dir = mkdtempSync(path.join(tmpdir(), 'hz-cli-predict-'));
  const project = await api.db.db.project.create({ data: { teamId: api.seed.teamId, slug: 'p', name: 'p' } });
  // A running run whose worker uploads its final model through the API's artifact route, as a trainer does; then it ends.
  const run = await api.db.db.run.create({ data: { projectId: project.id, name: 'trousers', config: {}, architecture: 'mlp', dataset: 'fashion-mnist', status: 'running', attempt: 1 } });
  runId = run.id;
  const modelDir = path.join(dir, 'made');
  await saveTrouserModel(modelDir);
  await createArtifactClient({ url: api.url, apiKey: api.seed.workerToken }).upload({ runId, attempt: 1, kind: 'model', epoch: null, dir: path.join(modelDir, FINAL_MODEL) });
  await api.db.db.run.update({ where: { id: runId }, data: { status: 'succeeded' } });
  let out = '';
  worker = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      API_URL: api.url,
      HZ_WORKER_TOKEN: api.seed.workerToken,
      HZ_QUEUE_PREFIX: api.queuePrefix,
      HZ_ARTIFACT_DIR: path.join(dir, 'artifacts'),
      TFJS_BACKEND: 'cpu',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  worker.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  for (let i = 0; !out.includes('hyperzoo worker ready'); i++) {
    if (i > 600 || worker.exitCode !== null) throw new Error(`the worker did not start: ${out}`);
    await sleep(100);
  }
}, 120_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hz = (args: string[]) => runCli(registerPredictCommand, ['predict', '--run', runId, ...args, '--api-url', api.url, '--api-key', api.seed.apiKey]);

describe('hz predict', { timeout: 90_000 }, () => {
  it('prints the top classes of a PNG with their names, as JSON with --json', async () => {
    const file = path.join(dir, 'shirt.png');
    await sharp(Buffer.alloc(28 * 28, 128), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(file);
    const out = JSON.parse(await hz([file, '--top', '2', '--json'])) as { model: { kind: string }; predictions: { className: string; classIndex: number }[] };
    expect(out.model.kind).toBe('model');
    expect(out.predictions.map((p) => [p.classIndex, p.className])).toEqual([
      [1, 'Trouser'],
      [2, 'Pullover'],
    ]);
    expect(await hz([file, '--top', '1'])).toMatch(/^1\. Trouser\s+\d+\.\d\d% {2}\(class 1\)$/);
  });

  it('takes a 28x28 JSON array, and names what is wrong with any other file', async () => {
    const pixels = path.join(dir, 'pixels.json');
    writeFileSync(pixels, JSON.stringify(Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 0))));
    expect(JSON.parse(await hz([pixels, '--json'])).predictions).toHaveLength(5);
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    await expect(hz([text])).rejects.toThrow(/notes\.txt: not a PNG, a JPEG or a 28x28 JSON array/);
  });
});
