import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import type { TActivation } from '@hyperzoo/schemas';

import { GraphBuilder, describeInput, scaleWidth } from './graph';
import { ARCHITECTURE_OPTIONS, commonOptionFields, parseOptions } from './options';

/** Branch widths of one Inception block: 1x1, 3x3 reduce -> 3x3, 5x5 reduce -> 5x5, pool proj. */
export interface TInceptionPlan {
  name: string;
  c1: number;
  c3: readonly [number, number];
  c5: readonly [number, number];
  pool: number;
}

/** Szegedy et al. 2014, table 1: the standard 3a..5b channel plan; 'pool' marks the max-pools between groups. */
export const GOOGLENET_PLAN: readonly (TInceptionPlan | 'pool')[] = [
  { name: '3a', c1: 64, c3: [96, 128], c5: [16, 32], pool: 32 },
  { name: '3b', c1: 128, c3: [128, 192], c5: [32, 96], pool: 64 },
  'pool',
  { name: '4a', c1: 192, c3: [96, 208], c5: [16, 48], pool: 64 },
  { name: '4b', c1: 160, c3: [112, 224], c5: [24, 64], pool: 64 },
  { name: '4c', c1: 128, c3: [128, 256], c5: [24, 64], pool: 64 },
  { name: '4d', c1: 112, c3: [144, 288], c5: [32, 64], pool: 64 },
  { name: '4e', c1: 256, c3: [160, 320], c5: [32, 128], pool: 128 },
  'pool',
  { name: '5a', c1: 256, c3: [160, 320], c5: [32, 128], pool: 128 },
  { name: '5b', c1: 384, c3: [192, 384], c5: [48, 128], pool: 128 },
];

/** Inputs smaller than this (either side) get the small stem under stem 'auto'. */
export const GOOGLENET_SMALL_STEM_BELOW = 64;

export const ZGooglenetOptions = z.strictObject({
  ...commonOptionFields,
  /**
   * stem imagenet: 7x7/2 conv, 3x3/2 max-pool, 1x1 conv, 3x3 conv, 3x3/2 max-pool (224 -> 28
   * before 3a); small: the same convolutions at stride 1 without pooling, for 28x28 inputs.
   */
  ...ARCHITECTURE_OPTIONS.googlenet,
});
export type TGooglenetOptions = z.output<typeof ZGooglenetOptions>;
export type TGooglenetOptionsInput = z.input<typeof ZGooglenetOptions>;

function maxPool(g: GraphBuilder, x: tf.SymbolicTensor, name: string, strides: number): tf.SymbolicTensor {
  return g.apply(tf.layers.maxPooling2d({ name, poolSize: 3, strides, padding: 'same' }), x);
}

/** Four parallel branches on the same input, concatenated on the channel axis (ZOO.md). */
function inceptionBlock(g: GraphBuilder, x: tf.SymbolicTensor, plan: TInceptionPlan, width: number, act: TActivation): tf.SymbolicTensor {
  const p = `inception_${plan.name}`;
  const c = (n: number) => scaleWidth(n, width);
  const b1 = g.conv(x, { name: `${p}_1x1`, filters: c(plan.c1), kernel: 1, activation: act });
  const r3 = g.conv(x, { name: `${p}_3x3_reduce`, filters: c(plan.c3[0]), kernel: 1, activation: act });
  const b3 = g.conv(r3, { name: `${p}_3x3`, filters: c(plan.c3[1]), kernel: 3, padding: 'same', activation: act });
  const r5 = g.conv(x, { name: `${p}_5x5_reduce`, filters: c(plan.c5[0]), kernel: 1, activation: act });
  const b5 = g.conv(r5, { name: `${p}_5x5`, filters: c(plan.c5[1]), kernel: 5, padding: 'same', activation: act });
  const pooled = maxPool(g, x, `${p}_pool`, 1);
  const b4 = g.conv(pooled, { name: `${p}_pool_proj`, filters: c(plan.pool), kernel: 1, activation: act });
  return g.apply(tf.layers.concatenate({ name: `${p}_output`, axis: -1 }), [b1, b3, b5, b4]);
}

/** ZOO.md googlenet (Inception v1 without the auxiliary classifiers and LRN): stem -> body -> head. */
export function buildGooglenet(input: TGooglenetOptionsInput = {}): tf.LayersModel {
  const o = parseOptions('googlenet', ZGooglenetOptions, input);
  const g = new GraphBuilder('googlenet', describeInput(o.inputShape), o.seed);
  const [h, w] = o.inputShape;
  const small = o.stem === 'small' || (o.stem === 'auto' && Math.min(h, w) < GOOGLENET_SMALL_STEM_BELOW);
  const c = (n: number) => scaleWidth(n, o.width);
  const act = o.activation;

  const inputs = tf.input({ shape: o.inputShape, name: 'input' });
  // Stem: takes in the data.
  let x = g.conv(inputs, { name: 'conv1', filters: c(64), kernel: small ? 3 : 7, strides: small ? 1 : 2, padding: 'same', activation: act });
  if (!small) x = maxPool(g, x, 'pool1', 2);
  x = g.conv(x, { name: 'conv2_reduce', filters: c(64), kernel: 1, activation: act });
  x = g.conv(x, { name: 'conv2', filters: c(192), kernel: 3, padding: 'same', activation: act });
  if (!small) x = maxPool(g, x, 'pool2', 2);
  // Body: inception groups 3, 4, 5 with a stride-2 max-pool between groups.
  let pools = 2;
  for (const block of GOOGLENET_PLAN) {
    if (block === 'pool') {
      pools += 1;
      x = maxPool(g, x, `pool${pools}`, 2);
    } else {
      x = inceptionBlock(g, x, block, o.width, act);
    }
  }
  // Head: one number per channel map, then the classifier.
  x = g.apply(tf.layers.globalAveragePooling2d({ name: 'global_average_pooling' }), x);
  x = g.dropout(x, 'dropout', o.dropout);
  const outputs = g.dense(x, { name: 'predictions', units: o.classes, activation: 'softmax' });
  return tf.model({ inputs, outputs, name: 'googlenet' });
}
