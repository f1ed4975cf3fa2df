import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildMlp } from './mlp';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildMlp', () => {
  it('has the Keras parameter count on 28x28x1: 266,610', () => {
    // 784*300+300 = 235,500; 300*100+100 = 30,100; 100*10+10 = 1,010
    const model = buildMlp();
    expect(model.countParams()).toBe(266_610);
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'flatten', 'dense_1', 'dense_2', 'predictions']);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    model.dispose();
  });

  it('uses the activation for hidden layers and adds dropout only when asked', () => {
    const model = buildMlp({ activation: 'tanh', dropout: 0.2 });
    const config = model.getLayer('dense_1').getConfig();
    expect(config.activation).toBe('tanh');
    expect(model.layers.filter((l) => l.getClassName() === 'Dropout')).toHaveLength(2);
    expect(model.countParams()).toBe(266_610);
    model.dispose();
  });

  it('builds the same weights from the same seed and different ones from another', () => {
    const read = (seed: number) => {
      const m = buildMlp({ seed });
      const values = m.getLayer('dense_2').getWeights()[0]?.dataSync().slice();
      m.dispose();
      return values;
    };
    expect(read(7)).toEqual(read(7));
    expect(read(7)).not.toEqual(read(8));
  });

  it('rejects nonsense options naming the field', () => {
    expect(() => buildMlp({ classes: 1 })).toThrow(/mlp: invalid options: classes/);
    expect(() => buildMlp({ inputShape: [28, 28, 0] })).toThrow(/inputShape\.2/);
    expect(() => buildMlp({ depth: [2] } as never)).toThrow(/mlp: invalid options/);
  });
});
