import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

import * as tf from '@tensorflow/tfjs';
import { decodeImageBytes } from '@hyperzoo/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KNOWN_BACKBONES } from '../transfer/backbone';
import { saveModelToDir } from '../transfer/file-io';
import { getImagenetClassNames } from './imagenet-classes';
import { predictWithKnownBackbone } from './pretrained';

const SIDE = 224;
let root: string;
let server: Server;
let baseUrl: string;
let modelJsonSha256: string;
const requests: string[] = [];

/** A stand-in for the published MobileNet: its input, feature-layer name and 1000-class softmax, a few KB of weights. */
function standInMobilenet(): tf.LayersModel {
  const inputs = tf.input({ shape: [SIDE, SIDE, 3], name: 'input_1' });
  const features = tf.layers.conv2d({ name: 'conv_pw_13_relu', filters: 4, kernelSize: 8, strides: 32, activation: 'relu' }).apply(inputs);
  const pooled = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }).apply(features);
  const outputs = tf.layers.dense({ name: 'act_softmax', units: 1000, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 3 }) }).apply(pooled);
  return tf.model({ inputs, outputs: outputs as tf.SymbolicTensor, name: 'mobilenet_1.00_224' });
}

/** An 8-bit RGB PNG (what a user passes to hz predict), a colour gradient. */
function pngOf(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 128], y * (1 + width * 3) + 1 + x * 3);
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hz-pretrained-'));
  const model = standInMobilenet();
  await saveModelToDir(model, path.join(root, 'mobilenet'));
  model.dispose();
  modelJsonSha256 = createHash('sha256').update(await readFile(path.join(root, 'mobilenet', 'model.json'))).digest('hex');
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url?.startsWith('/moved/')) return void res.writeHead(302, { location: '/models/mobilenet/model.json' }).end();
    readFile(path.join(root, 'mobilenet', path.basename(req.url ?? '')))
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

const over = (extra: object = {}) => ({ allowedRoots: [root], allowedUrls: [`${baseUrl}/models/`], location: `${baseUrl}/models/mobilenet/model.json`, topK: 5, ...extra });

describe('predictWithKnownBackbone (a stand-in MobileNet over HTTP)', () => {
  it("top-5 ImageNet classes with names, as the model's own softmax of the preprocessed image ranks them", async () => {
    const image = pngOf(40, 30);
    const out = await predictWithKnownBackbone('mobilenet', image, over());
    expect(out).toMatchObject({ backbone: 'mobilenet', location: `${baseUrl}/models/mobilenet/model.json`, modelJsonSha256 });
    expect(out.predictions).toHaveLength(5);
    const names = getImagenetClassNames();
    for (const p of out.predictions) expect(p.className).toBe(names[p.classIndex]);

    // The same by hand: resize to 224x224, MobileNet's preprocess_input (x / 127.5 - 1), predict, sort.
    const reference = await tf.loadLayersModel(`${baseUrl}/models/mobilenet/model.json`);
    const pixels = await decodeImageBytes(image, SIDE, 3);
    const probs = tf.tidy(() => reference.predict(tf.tensor4d(pixels, [1, SIDE, SIDE, 3], 'float32').div(127.5).sub(1)) as tf.Tensor);
    const all = Array.from(await probs.data());
    probs.dispose();
    reference.dispose();
    const expected = all.map((p, i) => ({ i, p })).sort((a, b) => b.p - a.p).slice(0, 5);
    expect(out.predictions.map((p) => p.classIndex)).toEqual(expected.map((e) => e.i));
    out.predictions.forEach((p, k) => expect(p.probability).toBeCloseTo(expected[k]?.p ?? NaN, 6));
  });

  it('pins model.json by SHA-256: the right digest loads, another is refused before any weights are fetched', async () => {
    await expect(predictWithKnownBackbone('mobilenet', pngOf(8, 8), over({ sha256: modelJsonSha256.toUpperCase() }))).resolves.toMatchObject({ modelJsonSha256 });
    requests.length = 0;
    const wrong = 'f'.repeat(64);
    await expect(predictWithKnownBackbone('mobilenet', pngOf(8, 8), over({ sha256: wrong }))).rejects.toThrow(`model.json has SHA-256 ${modelJsonSha256}, expected ${wrong}`);
    expect(requests).toEqual(['/models/mobilenet/model.json']);
  });

  it('keeps the allow-list, the size limit and the no-redirect rule of any backbone URL', async () => {
    // The registered public URL is not allowed unless the operator lists it (and nothing is fetched).
    requests.length = 0;
    await expect(predictWithKnownBackbone('mobilenet', pngOf(8, 8), { allowedRoots: [], topK: 5 })).rejects.toThrow(
      `backbone URL ${KNOWN_BACKBONES.mobilenet.url} is not under a URL the operator allows (HZ_MODEL_URL_ALLOWLIST)`,
    );
    await expect(predictWithKnownBackbone('mobilenet', pngOf(8, 8), over({ allowedUrls: [`${baseUrl}/other/`] }))).rejects.toThrow(/is not under a URL the operator allows/);
    await expect(predictWithKnownBackbone('mobilenet', pngOf(8, 8), over({ maxBytes: 2048 }))).rejects.toThrow('larger than the 2048-byte limit (HZ_MODEL_MAX_BYTES)');
    await expect(
      predictWithKnownBackbone('mobilenet', pngOf(8, 8), over({ allowedUrls: [`${baseUrl}/`], location: `${baseUrl}/moved/model.json` })),
    ).rejects.toThrow();
    expect(requests.filter((r) => r.endsWith('.bin'))).toEqual([]);
    // ResNet50 has no public tfjs conversion: the operator has to give one.
    await expect(predictWithKnownBackbone('resnet50', pngOf(8, 8), { allowedRoots: [], topK: 5 })).rejects.toThrow(/resnet50: no public TensorFlow.js conversion is registered/);
  });

  it('refuses a stand-in that is not the registered model (wrong class count) and leaks no tensors', async () => {
    await predictWithKnownBackbone('mobilenet', pngOf(8, 8), over());
    const before = tf.memory().numTensors;
    await predictWithKnownBackbone('mobilenet', pngOf(8, 8), over());
    expect(tf.memory().numTensors).toBe(before);
    const small = tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ inputShape: [SIDE, SIDE, 3] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    await saveModelToDir(small, path.join(root, 'ten-classes'));
    small.dispose();
    await expect(predictWithKnownBackbone('mobilenet', pngOf(8, 8), over({ location: 'ten-classes' }))).rejects.toThrow(/10 outputs, expected the 1000 ImageNet classes/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
