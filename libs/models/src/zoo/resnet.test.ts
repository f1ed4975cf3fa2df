import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildResnet } from './resnet';
import { countParamsOf } from './testing/train-one-step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildResnet', () => {
  it('ResNet-18 at 224x224x3, 1000 classes: 11,699,112 params, 11,689,512 trainable (= torchvision)', () => {
    // torchvision's resnet18 has 11,689,512 parameters: convs without bias, BN gamma+beta, fc with bias.
    // Our convs before a BN have no bias either, so the trainable weights are the same tensors.
    // Keras' countParams also counts each BN's moving mean and variance (torchvision keeps them as
    // buffers): 2 per BN channel. BN channels: stem 64; stage 64: 4 BN x 64 = 256;
    // stage 128: 4x128 + 128 (projection) = 640; stage 256: 1,280; stage 512: 2,560; sum 4,800.
    // 11,689,512 + 2*4,800 = 11,699,112. (With Keras' default conv bias it would be 4,800 more.)
    const counted = countParamsOf(() => buildResnet({ inputShape: [224, 224, 3], classes: 1000 }));
    expect(counted).toEqual({ params: 11_699_112, trainable: 11_689_512 });
  });

  it('adds a projection shortcut exactly where shape or stride changes', () => {
    const model = buildResnet({ width: 0.25 });
    const projections = model.layers.filter((l) => /_0_conv$/.test(l.name)).map((l) => l.name);
    expect(projections).toEqual(['conv3_block1_0_conv', 'conv4_block1_0_conv', 'conv5_block1_0_conv']);
    expect(model.getLayer('conv3_block1_0_conv').getConfig().strides).toEqual([2, 2]);
    // small stem on 28x28: no max-pool, stages at 28, 14, 7, 4
    expect(model.layers.some((l) => l.name === 'pool1_pool')).toBe(false);
    expect(model.getLayer('conv5_block2_out').outputShape).toEqual([null, 4, 4, 128]);
    model.dispose();
  });

  it('zero-initialises the last BN gamma of each block, so each block starts as act(x + shortcut)', () => {
    const model = buildResnet({ width: 0.125, depth: [1, 1] });
    const gamma = (name: string) => Array.from(model.getLayer(name).getWeights()[0]?.dataSync() ?? []);
    expect(gamma('conv2_block1_2_bn').every((g) => g === 0)).toBe(true);
    expect(gamma('conv2_block1_1_bn').every((g) => g === 1)).toBe(true);
    expect(gamma('conv3_block1_0_bn').every((g) => g === 1)).toBe(true);
    // With the residual branch at zero an identity block returns relu(x): check on a real input.
    const x = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3);
    const stem = tf.model({ inputs: model.inputs, outputs: model.getLayer('conv1_act').output as tf.SymbolicTensor });
    const block = tf.model({ inputs: model.inputs, outputs: model.getLayer('conv2_block1_out').output as tf.SymbolicTensor });
    const [a, b] = [stem.predict(x) as tf.Tensor, block.predict(x) as tf.Tensor];
    expect(tf.max(tf.abs(a.sub(b))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    model.dispose();
    const plain = buildResnet({ width: 0.125, depth: [1], zeroInitLastGamma: false });
    expect(Array.from(plain.getLayer('conv2_block1_2_bn').getWeights()[0]?.dataSync() ?? []).every((g) => g === 1)).toBe(true);
    plain.dispose();
  });

  it('takes depth per stage and a width multiplier; different layers get different seeds', () => {
    const model = buildResnet({ depth: [3, 1, 2], width: 0.5, inputShape: [32, 32, 3] });
    const blocks = model.layers.filter((l) => l.name.endsWith('_add')).map((l) => l.name);
    expect(blocks).toEqual([
      'conv2_block1_add', 'conv2_block2_add', 'conv2_block3_add', 'conv3_block1_add', 'conv4_block1_add', 'conv4_block2_add',
    ]);
    expect(model.getLayer('conv4_block2_out').outputShape).toEqual([null, 8, 8, 128]);
    const k1 = model.getLayer('conv2_block1_1_conv').getWeights()[0]?.dataSync();
    const k2 = model.getLayer('conv2_block1_2_conv').getWeights()[0]?.dataSync();
    expect(Array.from(k1 ?? [])).not.toEqual(Array.from(k2 ?? []));
    model.dispose();
  });
});
