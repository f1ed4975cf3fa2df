import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import type { TActivation } from '@hyperzoo/schemas';

import { GraphBuilder, describeInput, scaleWidth } from './graph';
import { ARCHITECTURE_OPTIONS, commonOptionFields, parseOptions } from './options';

/** ResNet-18 is depth 2,2,2,2 (libs/schemas RESNET18_DEPTH) at 64,128,256,512 channels (He et al. 2015). */
export const RESNET_BASE_CHANNELS = 64;
export const RESNET_SMALL_STEM_BELOW = 64;

export const ZResnetOptions = z.strictObject({
  ...commonOptionFields,
  /** depth: basic blocks per stage; stage i has 64 * 2^i * width channels and stride 2 from the second stage on. */
  ...ARCHITECTURE_OPTIONS.resnet,
  /**
   * Start each block's last BN with gamma = 0: the residual branch then outputs 0, the block is
   * act(x + 0) (the identity after a relu), and a deep stack trains like a shallow one at first
   * instead of passing noise forward (Goyal et al. 2017, "zero-gamma").
   */
  zeroInitLastGamma: z.boolean().default(true),
});
export type TResnetOptions = z.output<typeof ZResnetOptions>;
export type TResnetOptionsInput = z.input<typeof ZResnetOptions>;

interface TBlockArgs {
  name: string;
  filters: number;
  strides: number;
  activation: TActivation;
  zeroGamma: boolean;
}

/**
 * Basic block: 3x3 conv -> BN -> act -> 3x3 conv -> BN, plus the shortcut (1x1 conv + BN when
 * the shape or stride changes), then act. Convs before a BN have no bias: BN's mean subtraction
 * cancels it (torchvision and Keras' own ResNets do the same).
 */
function basicBlock(g: GraphBuilder, x: tf.SymbolicTensor, b: TBlockArgs): tf.SymbolicTensor {
  const inChannels = x.shape[3];
  let shortcut = x;
  if (b.strides !== 1 || inChannels !== b.filters) {
    shortcut = g.conv(x, { name: `${b.name}_0_conv`, filters: b.filters, kernel: 1, strides: b.strides, useBias: false });
    shortcut = g.batchNorm(shortcut, `${b.name}_0_bn`);
  }
  let y = g.conv(x, { name: `${b.name}_1_conv`, filters: b.filters, kernel: 3, strides: b.strides, padding: 'same', useBias: false });
  y = g.batchNorm(y, `${b.name}_1_bn`);
  y = g.activation(y, `${b.name}_1_act`, b.activation);
  y = g.conv(y, { name: `${b.name}_2_conv`, filters: b.filters, kernel: 3, padding: 'same', useBias: false });
  y = g.batchNorm(y, `${b.name}_2_bn`, b.zeroGamma);
  const sum = g.apply(tf.layers.add({ name: `${b.name}_add` }), [shortcut, y]);
  return g.activation(sum, `${b.name}_out`, b.activation);
}

/** ZOO.md resnet: stem -> stages of basic blocks -> global average pooling -> dense. */
export function buildResnet(input: TResnetOptionsInput = {}): tf.LayersModel {
  const o = parseOptions('resnet', ZResnetOptions, input);
  const g = new GraphBuilder('resnet', describeInput(o.inputShape), o.seed);
  const [h, w] = o.inputShape;
  const small = o.stem === 'small' || (o.stem === 'auto' && Math.min(h, w) < RESNET_SMALL_STEM_BELOW);

  const inputs = tf.input({ shape: o.inputShape, name: 'input' });
  const stemFilters = scaleWidth(RESNET_BASE_CHANNELS, o.width);
  let x = g.conv(inputs, {
    name: 'conv1_conv',
    filters: stemFilters,
    kernel: small ? 3 : 7,
    strides: small ? 1 : 2,
    padding: 'same',
    useBias: false,
  });
  x = g.batchNorm(x, 'conv1_bn');
  x = g.activation(x, 'conv1_act', o.activation);
  if (!small) x = g.apply(tf.layers.maxPooling2d({ name: 'pool1_pool', poolSize: 3, strides: 2, padding: 'same' }), x);

  o.depth.forEach((blocks, stage) => {
    const filters = scaleWidth(RESNET_BASE_CHANNELS * 2 ** stage, o.width);
    for (let b = 0; b < blocks; b++) {
      x = basicBlock(g, x, {
        name: `conv${stage + 2}_block${b + 1}`,
        filters,
        strides: stage > 0 && b === 0 ? 2 : 1,
        activation: o.activation,
        zeroGamma: o.zeroInitLastGamma,
      });
    }
  });
  x = g.apply(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = g.dropout(x, 'dropout', o.dropout);
  const outputs = g.dense(x, { name: 'predictions', units: o.classes, activation: 'softmax' });
  return tf.model({ inputs, outputs, name: `resnet-${2 + 2 * o.depth.reduce((a, b) => a + b, 0)}` });
}
