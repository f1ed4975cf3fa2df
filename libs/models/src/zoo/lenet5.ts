import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import { GraphBuilder, describeInput, scaleWidth } from './graph';
import { ARCHITECTURE_OPTIONS, commonOptionFields, parseOptions } from './options';

/** ZOO.md lenet5 (course variant): 61,706 params on 28x28x1. */
export const LENET5_FILTERS = [6, 16] as const;
export const LENET5_DENSE_UNITS = [120, 84] as const;

export const ZLenet5Options = z.strictObject({
  ...commonOptionFields,
  ...ARCHITECTURE_OPTIONS.lenet5,
});
export type TLenet5Options = z.output<typeof ZLenet5Options>;
export type TLenet5OptionsInput = z.input<typeof ZLenet5Options>;

export function buildLenet5(input: TLenet5OptionsInput = {}): tf.LayersModel {
  const o = parseOptions('lenet5', ZLenet5Options, input);
  const g = new GraphBuilder('lenet5', describeInput(o.inputShape), o.seed);
  const inputs = tf.input({ shape: o.inputShape, name: 'input' });
  const [f1, f2] = LENET5_FILTERS.map((f) => scaleWidth(f, o.width)) as [number, number];
  let x = g.conv(inputs, { name: 'conv2d_1', filters: f1, kernel: 5, padding: 'same', activation: o.activation });
  x = g.apply(tf.layers.averagePooling2d({ name: 'average_pooling2d_1', poolSize: 2, strides: 2 }), x);
  x = g.conv(x, { name: 'conv2d_2', filters: f2, kernel: 5, padding: 'valid', activation: o.activation });
  x = g.apply(tf.layers.averagePooling2d({ name: 'average_pooling2d_2', poolSize: 2, strides: 2 }), x);
  x = g.apply(tf.layers.flatten({ name: 'flatten' }), x);
  LENET5_DENSE_UNITS.forEach((units, i) => {
    x = g.dense(x, { name: `dense_${i + 1}`, units: scaleWidth(units, o.width), activation: o.denseActivation });
    x = g.dropout(x, `dropout_${i + 1}`, o.dropout);
  });
  const outputs = g.dense(x, { name: 'predictions', units: o.classes, activation: 'softmax' });
  return tf.model({ inputs, outputs, name: 'lenet5' });
}
