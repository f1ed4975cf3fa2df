import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildGooglenet } from './googlenet';
import { countParamsOf } from './testing/train-one-step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildGooglenet', () => {
  it('has the Keras parameter count at 224x224x3, 1000 classes: 6,998,552', () => {
    // Every conv has a bias (Keras default), no BN, no LRN, no auxiliary classifiers.
    // stem: 7*7*3*64+64 = 9,472; 1x1 64*64+64 = 4,160; 3*3*64*192+192 = 110,784   -> 124,416
    // block (in -> c1, r3->c3, r5->c5, pool proj p): in*(c1+r3+r5+p)+(c1+r3+r5+p) + 9*r3*c3+c3 + 25*r5*c5+c5
    // 3a 192: 192*208+208 + 9*96*128+128 + 25*16*32+32    =   163,696
    // 3b 256: 256*352+352 + 9*128*192+192 + 25*32*96+96   =   388,736
    // 4a 480: 480*368+368 + 9*96*208+208 + 25*16*48+48    =   376,176
    // 4b 512: 512*360+360 + 9*112*224+224 + 25*24*64+64   =   449,160
    // 4c 512: 512*344+344 + 9*128*256+256 + 25*24*64+64   =   510,104
    // 4d 512: 512*352+352 + 9*144*288+288 + 25*32*64+64   =   605,376
    // 4e 528: 528*576+576 + 9*160*320+320 + 25*32*128+128 =  868,352
    // 5a 832: 832*576+576 + 9*160*320+320 + 25*32*128+128 = 1,043,456
    // 5b 832: 832*752+752 + 9*192*384+384 + 25*48*128+128 = 1,444,080
    // head: 1024*1000+1000 = 1,025,000; total 124,416 + 5,849,136 + 1,025,000 = 6,998,552
    const counted = countParamsOf(() => buildGooglenet({ inputShape: [224, 224, 3], classes: 1000 }));
    expect(counted).toEqual({ params: 6_998_552, trainable: 6_998_552 });
  });

  it('follows the standard channel plan: 3a outputs 256, 4e 832, 5b 1024 channels at 28/14/7', () => {
    const model = buildGooglenet({ inputShape: [224, 224, 3], width: 0.25, classes: 5 });
    expect(model.getLayer('inception_3a_output').outputShape).toEqual([null, 28, 28, 64]);
    expect(model.getLayer('inception_4e_output').outputShape).toEqual([null, 14, 14, 208]);
    expect(model.getLayer('inception_5b_output').outputShape).toEqual([null, 7, 7, 256]);
    expect(model.getLayer('dropout').getConfig().rate).toBe(0.4);
    model.dispose();
  });

  it('uses the small stem on 28x28 so the body still runs at 28/14/7', () => {
    const model = buildGooglenet({ width: 0.125 });
    expect(model.layers.some((l) => l.name === 'pool1')).toBe(false);
    expect(model.getLayer('inception_3a_output').outputShape).toEqual([null, 28, 28, 32]);
    expect(model.getLayer('inception_5b_output').outputShape).toEqual([null, 7, 7, 128]);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    model.dispose();
  });

  it("never runs out of pixels ('same' pools), and rejects an unknown stem", () => {
    const model = buildGooglenet({ stem: 'imagenet', inputShape: [8, 8, 1], width: 0.1 });
    expect(model.getLayer('inception_5b_output').outputShape).toEqual([null, 1, 1, 102]);
    model.dispose();
    expect(() => buildGooglenet({ stem: 'tiny' } as never)).toThrow(/googlenet: invalid options: stem/);
  });
});
