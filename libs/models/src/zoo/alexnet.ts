import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import { GraphBuilder, describeInput, scaleWidth } from './graph';
import { ARCHITECTURE_OPTIONS, commonOptionFields, parseOptions } from './options';
import { ResizingLayer } from './resizing-layer';

/** The course's resize target: 227 makes conv1 (11x11 stride 4, valid) land exactly on 55x55. */
export const ALEXNET_DEFAULT_RESIZE = 227;
const CONVS = [
  { filters: 96, kernel: 11, strides: 4, padding: 'valid', poolAfter: true },
  { filters: 256, kernel: 5, strides: 1, padding: 'same', poolAfter: true },
  { filters: 384, kernel: 3, strides: 1, padding: 'same', poolAfter: false },
  { filters: 384, kernel: 3, strides: 1, padding: 'same', poolAfter: false },
  { filters: 256, kernel: 3, strides: 1, padding: 'same', poolAfter: true },
] as const;
const DENSE_UNITS = [4096, 4096] as const;

export const ZAlexnetOptions = z.strictObject({
  ...commonOptionFields,
  /** Resize to S x S first (course: 227); null feeds the input as is. */
  resize: z.number().int().min(1).max(1024).nullable().default(ALEXNET_DEFAULT_RESIZE),
  interpolation: z.enum(['bilinear', 'nearest']).default('bilinear'),
  ...ARCHITECTURE_OPTIONS.alexnet,
});
export type TAlexnetOptions = z.output<typeof ZAlexnetOptions>;
export type TAlexnetOptionsInput = z.input<typeof ZAlexnetOptions>;

/** ZOO.md alexnet (course variant with BatchNorm after each conv's activation). */
export function buildAlexnet(input: TAlexnetOptionsInput = {}): tf.LayersModel {
  const o = parseOptions('alexnet', ZAlexnetOptions, input);
  const [h, w] = o.inputShape;
  const resizes = o.resize !== null && (o.resize !== h || o.resize !== w);
  const description = resizes ? `${describeInput(o.inputShape)} resized to ${o.resize}` : describeInput(o.inputShape);
  const g = new GraphBuilder('alexnet', description, o.seed);

  const inputs = tf.input({ shape: o.inputShape, name: 'input' });
  let x = inputs;
  if (resizes && o.resize !== null) {
    x = g.apply(new ResizingLayer({ name: 'resizing', height: o.resize, width: o.resize, interpolation: o.interpolation }), x);
  }
  let pools = 0;
  CONVS.forEach((c, i) => {
    const n = i + 1;
    x = g.conv(x, {
      name: `conv2d_${n}`,
      filters: scaleWidth(c.filters, o.width),
      kernel: c.kernel,
      strides: c.strides,
      padding: c.padding,
      activation: o.activation,
    });
    x = g.batchNorm(x, `batch_normalization_${n}`);
    if (c.poolAfter) {
      pools += 1;
      x = g.apply(tf.layers.maxPooling2d({ name: `max_pooling2d_${pools}`, poolSize: 3, strides: 2 }), x);
    }
  });
  x = g.apply(tf.layers.flatten({ name: 'flatten' }), x);
  DENSE_UNITS.forEach((units, i) => {
    x = g.dense(x, { name: `dense_${i + 1}`, units: scaleWidth(units, o.width), activation: o.denseActivation });
    x = g.dropout(x, `dropout_${i + 1}`, o.dropout);
  });
  const outputs = g.dense(x, { name: 'predictions', units: o.classes, activation: 'softmax' });
  return tf.model({ inputs, outputs, name: 'alexnet' });
}
