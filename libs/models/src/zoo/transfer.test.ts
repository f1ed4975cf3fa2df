import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fileSystemIO } from '../transfer/file-io';
import { unfreezeForFineTuning } from '../transfer/freeze';
import { buildLenet5 } from './lenet5';
import { buildResnet } from './resnet';
import { trainOneStep } from './testing/train-one-step';
import { buildTransfer } from './transfer';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'hz-transfer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An "RGB pretrained" stand-in: a small resnet on 32x32x3. */
const rgbBackbone = () => buildResnet({ inputShape: [32, 32, 3], width: 0.125, depth: [1, 1], classes: 7 });

describe('buildTransfer', () => {
  it('cuts a classifier backbone before its final Dense, freezes it all, and adds a new head', () => {
    const model = buildTransfer({ backbone: buildLenet5(), classes: 4 });
    // lenet5's features end at dense_2 (84 units, already a vector): the head is just the classifier.
    expect(model.layers.map((l) => l.name).slice(-2)).toEqual(['dense_2', 'head_predictions']);
    expect(model.outputs[0]?.shape).toEqual([null, 4]);
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['head_predictions/kernel', 'head_predictions/bias']);
    model.dispose();
  });

  it('pools a 4-D feature map (avg or flatten) and freezes up to a named layer', () => {
    const avg = buildTransfer({ backbone: buildLenet5(), featureLayer: 'average_pooling2d_2', freezeUpTo: 'average_pooling2d_1', classes: 3 });
    expect(avg.getLayer('head_pool').outputShape).toEqual([null, 16]);
    expect(avg.layers.filter((l) => l.trainable && l.weights.length > 0).map((l) => l.name)).toEqual(['conv2d_2', 'head_predictions']);
    avg.dispose();
    const flat = buildTransfer({ backbone: buildLenet5(), featureLayer: 'average_pooling2d_2', head: 'flatten', classes: 3 });
    expect(flat.getLayer('head_flatten').outputShape).toEqual([null, 400]);
    expect(flat.countParams()).toBe(156 + 2416 + 400 * 3 + 3);
    flat.dispose();
  });

  it('fits grey 28x28 data to an RGB backbone inside the model, and the result saves and loads', async () => {
    const before = tf.memory().numTensors;
    const model = buildTransfer({
      backbone: rgbBackbone(),
      inputShape: [28, 28, 1],
      classes: 5,
      preprocessing: 'caffe',
      pixelScale: 255,
      dropout: 0.3,
    });
    expect(model.getLayer('backbone_preprocess').outputShape).toEqual([null, 32, 32, 3]);
    expect(model.layers.map((l) => l.getClassName())).toContain('Model');
    expect(model.trainableWeights.length).toBe(2);
    await model.save(fileSystemIO(path.join(dir, 'rgb')));
    const loaded = await tf.loadLayersModel(fileSystemIO(path.join(dir, 'rgb')));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 2);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains only the head while frozen, everything after unfreezeForFineTuning + recompile', async () => {
    const model = buildTransfer({ backbone: buildLenet5({ inputShape: [16, 16, 1] }), featureLayer: 'average_pooling2d_2', classes: 3 });
    const frozen = await trainOneStep(model);
    expect(frozen.maxNonTrainableChange).toBe(0);
    expect(frozen.maxWeightChange).toBeGreaterThan(0);
    model.optimizer.dispose();
    unfreezeForFineTuning(model);
    expect(model.layers.every((l) => l.trainable)).toBe(true);
    const kernel = model.getLayer('conv2d_1').getWeights()[0]?.dataSync().slice();
    await trainOneStep(model);
    expect(Array.from(model.getLayer('conv2d_1').getWeights()[0]?.dataSync() ?? [])).not.toEqual(Array.from(kernel ?? []));
    model.optimizer.dispose();
    model.dispose();
  });

  it('rejects a missing feature layer, incompatible channels and a non-model backbone', () => {
    const backbone = buildLenet5();
    expect(() => buildTransfer({ backbone, featureLayer: 'conv9' })).toThrow("transfer: backbone lenet5 has no layer 'conv9'");
    expect(() => buildTransfer({ backbone: rgbBackbone(), inputShape: [28, 28, 2] })).toThrow(
      /data has 2 channels; backbone resnet-\d+ needs 3 \(or 1, repeated\)/,
    );
    expect(() => buildTransfer({ backbone: {} as tf.LayersModel })).toThrow(/backbone: backbone must be a loaded tf.LayersModel/);
    backbone.dispose();
  });
});

describe('BatchNorm in a frozen backbone (Keras semantics)', () => {
  it('keeps moving statistics while frozen, and in inference mode through fine-tuning by default', async () => {
    const model = buildTransfer({ backbone: rgbBackbone(), classes: 3 });
    const stats = () => Array.from(model.getLayer('conv1_bn').getWeights()[2]?.dataSync() ?? []);
    const gamma = () => Array.from(model.getLayer('conv1_bn').getWeights()[0]?.dataSync() ?? []);
    const [meanBefore, gammaBefore] = [stats(), gamma()];
    const frozen = await trainOneStep(model);
    expect(frozen.maxNonTrainableChange).toBe(0);
    model.optimizer.dispose();
    unfreezeForFineTuning(model);
    await trainOneStep(model);
    model.optimizer.dispose();
    expect(stats()).toEqual(meanBefore);
    expect(gamma()).not.toEqual(gammaBefore);
    model.dispose();
  });

  it('lets BatchNorm update its statistics again when asked', async () => {
    const model = buildTransfer({ backbone: rgbBackbone(), classes: 3 });
    const stats = () => Array.from(model.getLayer('conv1_bn').getWeights()[2]?.dataSync() ?? []);
    const meanBefore = stats();
    unfreezeForFineTuning(model, { batchNormInference: false });
    await trainOneStep(model);
    model.optimizer.dispose();
    expect(stats()).not.toEqual(meanBefore);
    model.dispose();
  });
});
