import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fileSystemIO } from '../transfer/file-io';
import { buildAlexnet } from './alexnet';
import { ResizingLayer } from './resizing-layer';
import { saveInMemory } from './testing/save-in-memory';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'hz-resizing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function smallModel(): tf.LayersModel {
  const inputs = tf.input({ shape: [28, 28, 1] });
  const resized = new ResizingLayer({ name: 'resizing', height: 12, width: 12 }).apply(inputs) as tf.SymbolicTensor;
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(resized);
  const flat = tf.layers.flatten().apply(conv);
  const outputs = tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(flat);
  return tf.model({ inputs, outputs: outputs as tf.SymbolicTensor });
}

describe('ResizingLayer', () => {
  it('gives the batched NHWC output shape that tf.layers.resizing gets wrong, so a conv can follow', () => {
    const model = smallModel();
    expect(model.getLayer('resizing').outputShape).toEqual([null, 12, 12, 1]);
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
    model.dispose();
  });

  it('resizes like tf.image.resizeBilinear with half-pixel centres (Keras Resizing)', () => {
    const layer = new ResizingLayer({ height: 5, width: 7 });
    const x = tf.randomUniform([2, 9, 4, 3], 0, 255, 'float32', 5);
    const got = layer.apply(x) as tf.Tensor;
    const want = tf.image.resizeBilinear(x as tf.Tensor4D, [5, 7], false, true);
    expect(got.shape).toEqual([2, 5, 7, 3]);
    expect(tf.max(tf.abs(got.sub(want))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([x, got, want]);
  });

  it('saves and loads through memory (withSaveHandler / fromMemory) with the same predictions', async () => {
    const model = smallModel();
    const saved = await saveInMemory(model);
    expect(JSON.stringify(saved.modelTopology)).toContain('"class_name":"HzResizing"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 9);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect((loaded.getLayer('resizing') as ResizingLayer).height).toBe(12);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('round-trips a whole alexnet through model.json + weights.bin on disk', async () => {
    const model = buildAlexnet({ resize: 67, width: 0.05 });
    await model.save(fileSystemIO(path.join(dir, 'alexnet')));
    const loaded = await tf.loadLayersModel(fileSystemIO(path.join(dir, 'alexnet')));
    expect(loaded.getLayer('resizing').getClassName()).toBe('HzResizing');
    expect(loaded.countParams()).toBe(model.countParams());
    const x = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 4);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
