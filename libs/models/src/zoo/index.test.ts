import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { ARCHITECTURES, ZOO_CATALOG } from '@hyperzoo/schemas';

import { buildModel, formatModelSummary, summarizeModel } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildModel', () => {
  it('dispatches to each builder and lists every architecture in the catalog', () => {
    expect(ZOO_CATALOG.map((e) => e.arch)).toEqual([...ARCHITECTURES]);
    const lenet = buildModel('lenet5', {});
    expect(lenet.name).toBe('lenet5');
    expect(lenet.countParams()).toBe(61_706);
    lenet.dispose();
    expect(() => buildModel('nope' as 'mlp', {})).toThrow(/unknown architecture 'nope'/);
  });
});

describe('summarizeModel', () => {
  it('lists layers with output shapes and params like Keras summary', () => {
    const model = buildModel('resnet', { width: 0.125, depth: [1] });
    const summary = summarizeModel(model);
    expect(summary.params).toBe(model.countParams());
    expect(summary.params - summary.trainableParams).toBe(summary.nonTrainableParams);
    expect(summary.nonTrainableParams).toBe(2 * (8 + 8 + 8));
    expect(summary.layers.find((l) => l.name === 'conv1_conv')).toEqual({
      name: 'conv1_conv', className: 'Conv2D', outputShape: [null, 28, 28, 8], params: 9 * 8, trainable: true,
    });
    const text = formatModelSummary(summary);
    expect(text).toContain('conv1_conv (Conv2D)');
    expect(text).toContain(`Total params: ${summary.params.toLocaleString('en-US')}`);
    model.dispose();
  });
});
