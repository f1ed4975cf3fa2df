import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { ZRunConfig, type TRunConfigInput } from '@hyperzoo/schemas';

import { buildLenet5 } from './lenet5';
import { buildModelFromRunConfig, zooOptionsFromRunConfig } from './run-config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const FASHION = { height: 28, width: 28, channels: 1, classes: 10 };
const config = (input: TRunConfigInput) => ZRunConfig.parse(input);

describe('zooOptionsFromRunConfig', () => {
  it('maps the parsed run config and the data shape to builder options', () => {
    expect(zooOptionsFromRunConfig(config({ architecture: 'lenet5', seed: 9, dropout: 0.1 }), FASHION)).toEqual({
      arch: 'lenet5',
      options: { inputShape: [28, 28, 1], classes: 10, seed: 9, activation: 'relu', denseActivation: 'sigmoid', dropout: 0.1, width: 1 },
    });
    const resnet = zooOptionsFromRunConfig(config({ architecture: 'resnet', depth: [1, 1], width: 0.5, activation: 'elu' }), FASHION);
    expect(resnet).toMatchObject({ arch: 'resnet', options: { depth: [1, 1], width: 0.5, activation: 'elu', stem: 'auto' } });
  });

  it('resizes for alexnet to 227 unless the data pipeline already resized', () => {
    expect(zooOptionsFromRunConfig(config({ architecture: 'alexnet' }), FASHION).options).toMatchObject({ resize: 227 });
    const resized = config({ architecture: 'alexnet', data: { inputSize: 96 } });
    expect(zooOptionsFromRunConfig(resized, { ...FASHION, height: 96, width: 96 }).options).toMatchObject({ resize: 96, inputShape: [96, 96, 1] });
  });

  it('never sees a field the architecture has no use for: the schema refuses it first', () => {
    expect(ZRunConfig.safeParse({ architecture: 'mlp', denseActivation: 'tanh' }).success).toBe(false);
    expect(ZRunConfig.safeParse({ architecture: 'googlenet', depth: [2] }).success).toBe(false);
    expect(ZRunConfig.safeParse({ architecture: 'transfer' }).success).toBe(false);
  });

  it('hands transfer its source so the caller can load the backbone', async () => {
    const run = config({ architecture: 'transfer', transfer: { fromRunId: 'run-1', freezeUpTo: 3 }, dropout: 0.2 });
    expect(zooOptionsFromRunConfig(run, FASHION)).toEqual({
      arch: 'transfer',
      options: { inputShape: [28, 28, 1], classes: 10, seed: 42, dropout: 0.2, freezeUpTo: 3 },
      source: { fromRunId: 'run-1', freezeUpTo: 3 },
    });
    // freezeUpTo 3 = Keras layers[:3]: input, conv2d_1, average_pooling2d_1.
    const model = await buildModelFromRunConfig(run, FASHION, async (source) => {
      expect(source.fromRunId).toBe('run-1');
      return buildLenet5();
    });
    expect(model.layers.filter((l) => l.trainable).map((l) => l.name).slice(0, 2)).toEqual(['conv2d_2', 'average_pooling2d_2']);
    model.dispose();
  });

  it('builds the same weights for the same run seed', async () => {
    const run = config({ architecture: 'mlp', seed: 123, width: 0.1 });
    const [a, b] = [await buildModelFromRunConfig(run, FASHION), await buildModelFromRunConfig(run, FASHION)];
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(a.getWeights().map((w) => Array.from(w.dataSync())));
    a.dispose();
    b.dispose();
  });
});
