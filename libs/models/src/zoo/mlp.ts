import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import { GraphBuilder, describeInput, scaleWidth } from './graph';
import { ARCHITECTURE_OPTIONS, commonOptionFields, parseOptions } from './options';

/** ZOO.md mlp: Flatten -> Dense 300 -> Dense 100 -> Dense classes softmax (266,610 params on 28x28x1). */
export const MLP_HIDDEN_UNITS = [300, 100] as const;

export const ZMlpOptions = z.strictObject({
  ...commonOptionFields,
  ...ARCHITECTURE_OPTIONS.mlp,
});
export type TMlpOptions = z.output<typeof ZMlpOptions>;
export type TMlpOptionsInput = z.input<typeof ZMlpOptions>;

export function buildMlp(input: TMlpOptionsInput = {}): tf.LayersModel {
  const options = parseOptions('mlp', ZMlpOptions, input);
  const g = new GraphBuilder('mlp', describeInput(options.inputShape), options.seed);
  const inputs = tf.input({ shape: options.inputShape, name: 'input' });
  let x = g.apply(tf.layers.flatten({ name: 'flatten' }), inputs);
  MLP_HIDDEN_UNITS.forEach((units, i) => {
    x = g.dense(x, { name: `dense_${i + 1}`, units: scaleWidth(units, options.width), activation: options.activation });
    x = g.dropout(x, `dropout_${i + 1}`, options.dropout);
  });
  const outputs = g.dense(x, { name: 'predictions', units: options.classes, activation: 'softmax' });
  return tf.model({ inputs, outputs, name: 'mlp' });
}
