// `hz predict --backbone`: the course's pretrained top-5 example, on a stand-in MobileNet served over HTTP.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { getImagenetClassNames, saveModelToDir } from '@hyperzoo/models';

import { runCli } from '../testing';
import { registerPredictCommand } from './predict';

let dir: string;
let server: Server;
let modelUrl: string;
let image: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'hz-cli-backbone-'));
  // MobileNet's interface (224x224x3 in, 1000 softmax out); the bias makes class 207 (golden retriever) the top answer.
  const inputs = tf.input({ shape: [224, 224, 3] });
  const pooled = tf.layers.globalAveragePooling2d({ name: 'conv_pw_13_relu' }).apply(inputs);
  const dense = tf.layers.dense({ units: 1000, activation: 'softmax', kernelInitializer: 'zeros', name: 'act_softmax' });
  const model = tf.model({ inputs, outputs: dense.apply(pooled) as tf.SymbolicTensor });
  const bias = tf.buffer([1000]);
  [207, 208, 1].forEach((c, i) => bias.set(3 - i, c));
  const biasTensor = bias.toTensor();
  dense.setWeights([dense.getWeights()[0] as tf.Tensor, biasTensor]);
  await saveModelToDir(model, path.join(dir, 'mobilenet'));
  biasTensor.dispose();
  model.dispose();
  image = path.join(dir, 'dog.png');
  writeFileSync(image, await sharp({ create: { width: 50, height: 40, channels: 3, background: { r: 200, g: 150, b: 90 } } }).png().toBuffer());
  server = createServer((req, res) => {
    try {
      res.end(readFileSync(path.join(dir, 'mobilenet', path.basename(req.url ?? ''))));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  modelUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/zoo/mobilenet/model.json`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('hz predict --backbone', { timeout: 60_000 }, () => {
  it('prints the top-K ImageNet classes by name, then where the model came from and its digest', async () => {
    vi.stubEnv('HZ_MODEL_URL_ALLOWLIST', new URL('/zoo/', modelUrl).href);
    const out = await runCli(registerPredictCommand, ['predict', '--backbone', 'mobilenet', '--model-url', modelUrl, '--top', '3', image]);
    const lines = out.split('\n');
    const names = getImagenetClassNames();
    expect(lines.slice(0, 3).map((l) => l.replace(/\s+[\d.]+%/, ''))).toEqual([`1. ${names[207]}  (class 207)`, `2. ${names[208]}  (class 208)`, `3. ${names[1]}  (class 1)`]);
    expect(names[207]).toBe('golden retriever');
    expect(lines[3]).toMatch(new RegExp(`^mobilenet from ${modelUrl}, model\\.json sha256 [0-9a-f]{64} \\(pin it with --sha256\\)$`));
    const json = JSON.parse(await runCli(registerPredictCommand, ['predict', '--backbone', 'mobilenet', '--model-url', modelUrl, '--json', image]));
    expect(json.predictions).toHaveLength(5);
    expect(json.predictions[0]).toMatchObject({ classIndex: 207, className: 'golden retriever' });
  });

  it('refuses a URL outside HZ_MODEL_URL_ALLOWLIST and a model.json whose digest is not the pinned one', async () => {
    vi.stubEnv('HZ_MODEL_URL_ALLOWLIST', '');
    await expect(runCli(registerPredictCommand, ['predict', '--backbone', 'mobilenet', '--model-url', modelUrl, image])).rejects.toThrow(/HZ_MODEL_URL_ALLOWLIST/);
    vi.stubEnv('HZ_MODEL_URL_ALLOWLIST', new URL('/zoo/', modelUrl).href);
    await expect(runCli(registerPredictCommand, ['predict', '--backbone', 'mobilenet', '--model-url', modelUrl, '--sha256', '0'.repeat(64), image])).rejects.toThrow(
      /model\.json has SHA-256 [0-9a-f]{64}, expected 0{64}/,
    );
    await expect(runCli(registerPredictCommand, ['predict', '--backbone', 'mobilenet', '--model-url', modelUrl, '--sha256', 'abc', image])).rejects.toThrow(/expected 64 hex digits/);
    await expect(runCli(registerPredictCommand, ['predict', '--backbone', 'vgg16', image])).rejects.toThrow(/expected one of resnet50, xception, mobilenet/);
    await expect(runCli(registerPredictCommand, ['predict', image])).rejects.toThrow('give exactly one of --run and --backbone');
  });
});
