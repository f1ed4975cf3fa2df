import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initialEarlyStoppingState } from '../training/early-stopping';
import { saveCheckpoint } from '../training/checkpoint';
import { buildLenet5 } from '../zoo/lenet5';
import { KNOWN_BACKBONES, loadBackbone, loadKnownBackbone } from './backbone';
import { saveModelToDir } from './file-io';

let root: string;
let server: Server;
let baseUrl: string;

/** A stand-in for a converted Keras ResNet50: same input and feature-layer name, a few KB of weights. */
function fakeResnet50(inputSide = 224): tf.LayersModel {
  const inputs = tf.input({ shape: [inputSide, inputSide, 3], name: 'input_1' });
  const features = tf.layers.conv2d({ name: 'conv5_block3_out', filters: 4, kernelSize: 8, strides: 32, activation: 'relu' }).apply(inputs);
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(features);
  const outputs = tf.layers.dense({ name: 'predictions', units: 1000, activation: 'softmax' }).apply(pooled);
  return tf.model({ inputs, outputs: outputs as tf.SymbolicTensor, name: 'resnet50' });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hz-backbone-'));
  const lenet = buildLenet5({ seed: 5 });
  await saveModelToDir(lenet, path.join(root, 'lenet'));
  lenet.dispose();
  const resnet = fakeResnet50();
  await saveModelToDir(resnet, path.join(root, 'resnet50'));
  resnet.dispose();
  const wrong = fakeResnet50(96);
  await saveModelToDir(wrong, path.join(root, 'resnet50-96'));
  wrong.dispose();
  server = createServer((req, res) => {
    if (req.url?.startsWith('/models/moved/')) return void res.writeHead(302, { location: '/elsewhere/model.json' }).end();
    // No Content-Length (chunked), as a server that does not say how much it sends.
    if (req.url?.startsWith('/models/chunked/')) {
      void readFile(path.join(root, 'lenet', path.basename(req.url))).then((body) => {
        res.write(body.subarray(0, 100));
        res.end(body.subarray(100));
      }, () => res.writeHead(404).end());
      return;
    }
    const name = (req.url ?? '').replace(/^\/+/, '');
    readFile(path.join(root, 'lenet', path.basename(name)))
      .then((body) => res.end(body))
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

const roots = () => ({ allowedRoots: [root], allowedUrls: [`${baseUrl}/models/`] });

describe('loadBackbone', () => {
  it('loads a model directory, a model.json path and a file:// URL inside the allowed root', async () => {
    for (const source of ['lenet', path.join(root, 'lenet', 'model.json'), pathToFileURL(path.join(root, 'lenet')).href]) {
      const model = await loadBackbone(source, roots());
      expect(model.countParams()).toBe(61_706);
      expect(model.getLayer('conv2d_1')).toBeDefined();
      model.dispose();
    }
  });

  it("loads a finished run's checkpoint (training/checkpoint.ts format)", async () => {
    const model = buildLenet5({ seed: 6 });
    const optimizer = tf.train.adam();
    const dir = await saveCheckpoint(path.join(root, 'run-1'), {
      model,
      optimizer,
      state: {
        version: 1, epoch: 3, phase: 'train', phaseStart: 1, phaseDone: false, earlyStopping: initialEarlyStoppingState(),
        rngState: 1, learningRate: 0.001, history: [], isBest: true, earlierStoppedEpoch: null,
      },
    });
    const loaded = await loadBackbone(dir, roots());
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
    model.dispose();
    optimizer.dispose();
    loaded.dispose();
  });

  it('loads over http(s) with tfjs\' own handler, from a URL the operator allows', async () => {
    const model = await loadBackbone(`${baseUrl}/models/model.json`, roots());
    expect(model.countParams()).toBe(61_706);
    model.dispose();
  });

  it('refuses http(s) sources off the allow-list, and redirects', async () => {
    const port = new URL(baseUrl).port;
    for (const url of [`${baseUrl}/healthz`, `${baseUrl}/model.json`, `${baseUrl}/models/../model.json`, `http://localhost:${port}/models/model.json`]) {
      await expect(loadBackbone(url, roots()), url).rejects.toThrow(/is not under a URL the operator allows/);
    }
    await expect(loadBackbone(`${baseUrl}/models/model.json`, { allowedRoots: [root] })).rejects.toThrow(/is not under a URL the operator allows/);
    // An allowed URL that redirects elsewhere: not followed.
    await expect(loadBackbone(`${baseUrl}/models/moved/model.json`, roots())).rejects.toThrow();
  });

  it('stops an http(s) download past the size limit, with or without Content-Length', async () => {
    const weights = (await readFile(path.join(root, 'lenet', 'weights.bin'))).byteLength;
    for (const url of [`${baseUrl}/models/model.json`, `${baseUrl}/models/chunked/model.json`]) {
      await expect(loadBackbone(url, { ...roots(), maxBytes: weights - 1 }), url).rejects.toThrow(`is larger than the ${weights - 1}-byte limit (HZ_MODEL_MAX_BYTES)`);
      const model = await loadBackbone(url, { ...roots(), maxBytes: weights + 100_000 });
      expect(model.countParams()).toBe(61_706);
      model.dispose();
    }
  });

  it('does not name the worker\'s directories when a model inside the roots cannot be loaded', async () => {
    await mkdir(path.join(root, 'empty'), { recursive: true });
    const e = (await loadBackbone('empty', roots()).catch((err: Error) => err)) as Error;
    expect(e.message).toMatch(/^cannot load backbone from empty: /);
    expect(e.message).not.toContain(root);
  });

  it('answers a missing file and a file outside the roots with the same words', async () => {
    const outside = (await loadBackbone('/etc/passwd', roots()).catch((e: Error) => e)) as Error;
    const missing = (await loadBackbone('/etc/no-such-file-here', roots()).catch((e: Error) => e)) as Error;
    const missingInside = (await loadBackbone('lenet/nothing', roots()).catch((e: Error) => e)) as Error;
    expect(outside.message).toBe('file source /etc/passwd is not a model inside the allowed roots');
    expect(missing.message.replace('/etc/no-such-file-here', 'X')).toBe(outside.message.replace('/etc/passwd', 'X'));
    expect(missingInside.message.replace('lenet/nothing', 'X')).toBe(outside.message.replace('/etc/passwd', 'X'));
  });

  it('refuses escapes, other schemes and missing models with the path in the message', async () => {
    await expect(loadBackbone('lenet/../lenet', roots())).rejects.toThrow(/'\.\.' segment/);
    await expect(loadBackbone(tmpdir(), roots())).rejects.toThrow(/is not a model inside the allowed roots/);
    await expect(loadBackbone('s3://bucket/model.json', roots())).rejects.toThrow(/only directories, file:\/\/ and http/);
    await expect(loadBackbone(root, roots())).rejects.toThrow(/cannot load backbone from .*: no model.json in/);
  });
});

describe('loadKnownBackbone', () => {
  it('registers ResNet50, Xception and MobileNet with their input sizes and preprocessing', () => {
    expect(KNOWN_BACKBONES.resnet50).toMatchObject({ inputShape: [224, 224, 3], preprocessing: 'caffe' });
    expect(KNOWN_BACKBONES.xception).toMatchObject({ inputShape: [299, 299, 3], preprocessing: 'tf' });
    expect(KNOWN_BACKBONES.mobilenet).toMatchObject({ inputShape: [224, 224, 3], preprocessing: 'tf' });
  });

  it('loads a converted model from a directory and checks its input shape against the registry', async () => {
    const { model, info } = await loadKnownBackbone('resnet50', 'resnet50', roots());
    expect(info.featureLayer).toBe('conv5_block3_out');
    expect(model.getLayer(info.featureLayer).outputShape).toEqual([null, 7, 7, 4]);
    model.dispose();
    const before = tf.memory().numTensors;
    await expect(loadKnownBackbone('resnet50', 'resnet50-96', roots())).rejects.toThrow(
      'resnet50 from resnet50-96: input shape [null, 96, 96, 3] does not match the expected [null, 224, 224, 3]',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
