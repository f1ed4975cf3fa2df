import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildAlexnet } from './alexnet';
import { countParamsOf } from './testing/train-one-step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildAlexnet', () => {
  it('has the Keras parameter count at 227x227x1, 10 classes: 58,304,586', () => {
    // conv1 11*11*1*96+96       =     11,712  -> 55x55x96 ((227-11)/4+1), pool -> 27x27
    // conv2 5*5*96*256+256      =    614,656  -> 27x27x256, pool -> 13x13
    // conv3 3*3*256*384+384     =    885,120
    // conv4 3*3*384*384+384     =  1,327,488
    // conv5 3*3*384*256+256     =    884,992  -> 13x13x256, pool -> 6x6x256 = 9,216
    // BN 4 per channel: 4*(96+256+384+384+256) = 5,504 (2,752 of them non-trainable moving stats)
    // dense 9,216*4,096+4,096   = 37,752,832
    // dense 4,096*4,096+4,096   = 16,781,312
    // dense 4,096*10+10         =     40,970
    // total 3,723,968 + 5,504 + 54,575,114 = 58,304,586
    const counted = countParamsOf(() => buildAlexnet({ inputShape: [227, 227, 1] }));
    expect(counted).toEqual({ params: 58_304_586, trainable: 58_304_586 - 2_752 });
  });

  it('resizes 28x28 to S inside the model and skips the resize when sizes already match', () => {
    const resized = buildAlexnet({ resize: 67, width: 0.05 });
    expect(resized.getLayer('resizing').outputShape).toEqual([null, 67, 67, 1]);
    expect(resized.getLayer('max_pooling2d_3').outputShape).toEqual([null, 1, 1, 13]);
    resized.dispose();
    const plain = buildAlexnet({ inputShape: [67, 67, 1], resize: 67, width: 0.05 });
    expect(plain.layers.some((l) => l.name === 'resizing')).toBe(false);
    plain.dispose();
  });

  it('names the pooling layer a too-small resize breaks', () => {
    expect(() => buildAlexnet({ resize: 20 })).toThrow(
      'alexnet: input 28x28 resized to 20 gives a non-positive size at max_pooling2d_2 (3x3 stride 2 on 1x1)',
    );
    expect(() => buildAlexnet({ resize: 66, width: 0.05 })).toThrow(/resized to 66 gives a non-positive size at max_pooling2d_3/);
    expect(() => buildAlexnet({ resize: null })).toThrow(/alexnet: input 28x28 gives a non-positive size at max_pooling2d_2/);
  });

  it('has BatchNorm after every conv and dropout 0.5 in the dense head', () => {
    const model = buildAlexnet({ resize: 67, width: 0.05 });
    const kinds = model.layers.map((l) => l.getClassName());
    expect(kinds.filter((k) => k === 'BatchNormalization')).toHaveLength(5);
    expect(model.getLayer('dropout_1').getConfig().rate).toBe(0.5);
    model.dispose();
  });
});
