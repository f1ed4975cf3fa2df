import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { saveFinalModel } from '../training/checkpoint';
import { createRunPredictor, PredictInputError } from './run-predictor';

let root: string;

/** A 28x28x1 -> 10 softmax model whose answer is fixed by its bias (zero kernel), saved as `<runId>/final`. */
async function savedModel(runId: string, best: number, units = 10): Promise<string> {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units, activation: 'softmax', kernelInitializer: 'zeros' })],
  });
  const bias = tf.tensor1d(Array.from({ length: units }, (_, i) => (i === best ? 3 : 0)));
  const [kernel] = model.layers[1]?.getWeights() ?? [];
  model.layers[1]?.setWeights([kernel as tf.Tensor, bias]);
  bias.dispose();
  await saveFinalModel(join(root, runId), model);
  model.dispose();
  return join(runId, 'final');
}

const PIXELS = Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 0));

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'hz-predictor-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('createRunPredictor', () => {
  it('answers with the data set’s class names and keeps only the most recently used models', async () => {
    const a = await savedModel('run-a', 1);
    const b = await savedModel('run-b', 9);
    const predictor = createRunPredictor({ artifactRoot: root, cacheSize: 1 });
    const ask = (artifactPath: string) => predictor.predict({ artifactPath, dataset: 'fashion-mnist', image: { kind: 'pixels', pixels: PIXELS }, topK: 2 });
    expect((await ask(a)).map((p) => p.className)).toEqual(['Trouser', 'T-shirt/top']);
    expect(predictor.loaded()).toEqual([a]);
    expect((await ask(b))[0]?.className).toBe('Ankle boot');
    expect(predictor.loaded()).toEqual([b]);
    predictor.dispose();
  });

  it('names the outputs of a run on some classes (data.classes) after those classes', async () => {
    const path = await savedModel('run-five', 2, 5);
    const predictor = createRunPredictor({ artifactRoot: root });
    const top = await predictor.predict({ artifactPath: path, dataset: 'fashion-mnist', classes: [5, 6, 7, 8, 9], image: { kind: 'pixels', pixels: PIXELS }, topK: 2 });
    expect(top.map((p) => [p.classIndex, p.className])).toEqual([[2, 'Sneaker'], [0, 'Sandal']]);
    predictor.dispose();
  });

  it('leaks no tensor per prediction, and refuses a topK above the class count', async () => {
    const path = await savedModel('run-c', 4);
    const predictor = createRunPredictor({ artifactRoot: root });
    const ask = (topK: number) => predictor.predict({ artifactPath: path, dataset: 'mnist', image: { kind: 'pixels', pixels: PIXELS }, topK });
    expect((await ask(1))[0]).toMatchObject({ classIndex: 4, className: '4' });
    const before = tf.memory().numTensors;
    await ask(3);
    expect(tf.memory().numTensors).toBe(before);
    await expect(ask(11)).rejects.toThrow(PredictInputError);
    predictor.dispose();
  });
});
