import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildLenet5 } from '../zoo/lenet5';
import { fileSystemIO, saveModelToDir } from './file-io';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'hz-file-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fileSystemIO', () => {
  it('writes model.json + weights.bin that load back to the same weights', async () => {
    const model = buildLenet5({ seed: 3 });
    const target = path.join(dir, 'lenet');
    await saveModelToDir(model, target);
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(path.join(target, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await tf.loadLayersModel(fileSystemIO(target));
    const a = model.getWeights().map((w) => Array.from(w.dataSync()));
    const b = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b).toEqual(a);
    model.dispose();
    loaded.dispose();
  });

  it('refuses a model.json whose weights point outside its directory', async () => {
    const target = path.join(dir, 'evil');
    await saveModelToDir(buildLenet5(), target);
    const file = path.join(target, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.weightsManifest[0].paths = ['../lenet/weights.bin'];
    await writeFile(file, JSON.stringify(json));
    await expect(tf.loadLayersModel(fileSystemIO(target))).rejects.toThrow(/must be a relative path inside the model directory/);
  });

  it('says what is wrong with a missing or malformed model.json', async () => {
    await expect(fileSystemIO(path.join(dir, 'nothing')).load?.()).rejects.toThrow(/no model.json in .*nothing/);
    const bad = path.join(dir, 'bad');
    await saveModelToDir(buildLenet5(), bad);
    await writeFile(path.join(bad, 'model.json'), '{"weightsManifest": 3}');
    await expect(fileSystemIO(bad).load?.()).rejects.toThrow(/is not a tfjs layers model: modelTopology/);
  });
});
