import * as tf from '@tensorflow/tfjs';

/**
 * Small models that together use every layer the zoo trains (conv2d with strides and both
 * paddings, 1x1 convs, max/avg pooling, batch norm, dropout, concatenate, add, global average
 * pooling, flatten, dense), every activation of ZActivation, and the depthwise/separable convs
 * of converted transfer backbones. Built with fixed seeds.
 */
export type TSmallModel = { name: string; inputShape: [number, number, number]; build: () => tf.LayersModel; logits?: boolean };

let seed = 1;
const init = () => tf.initializers.glorotUniform({ seed: seed++ });
// Convs that feed batch norm have no bias (as in ResNet): its gradient would be rounding noise.
const conv = (filters: number, kernelSize: number, strides: number, padding: 'same' | 'valid', activation: string, useBias = true): tf.layers.Layer =>
  tf.layers.conv2d({ filters, kernelSize, strides, padding, activation: activation as 'relu', useBias, kernelInitializer: init() });
const dense = (units: number, activation: string): tf.layers.Layer =>
  tf.layers.dense({ units, activation: activation as 'relu', kernelInitializer: init() });
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

export const SMALL_CONV_MODELS: TSmallModel[] = [
  {
    name: 'lenet-like (5x5 same/valid, avg pool, sigmoid dense)',
    inputShape: [16, 16, 1],
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.inputLayer({ inputShape: [16, 16, 1] }),
          conv(4, 5, 1, 'same', 'relu'),
          tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
          conv(6, 5, 1, 'valid', 'tanh'),
          tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
          tf.layers.flatten(),
          dense(12, 'sigmoid'),
          dense(10, 'softmax'),
        ],
      }),
  },
  {
    name: 'alexnet-like (strided conv, batch norm, overlapping max pool, dropout)',
    inputShape: [23, 23, 3],
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.inputLayer({ inputShape: [23, 23, 3] }),
          conv(8, 5, 2, 'valid', 'relu'),
          tf.layers.batchNormalization(),
          tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }),
          conv(8, 3, 1, 'same', 'elu'),
          tf.layers.batchNormalization(),
          tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same' }),
          tf.layers.flatten(),
          dense(16, 'selu'),
          tf.layers.dropout({ rate: 0.5 }),
          dense(10, 'softmax'),
        ],
      }),
  },
  {
    name: 'inception-like (parallel 1x1/3x3/5x5/pool branches, concatenate, global pooling)',
    inputShape: [12, 12, 2],
    build: () => {
      const input = tf.input({ shape: [12, 12, 2] });
      const stem = apply(conv(6, 3, 1, 'same', 'swish'), input);
      const b1 = apply(conv(3, 1, 1, 'same', 'gelu'), stem);
      const b2 = apply(conv(4, 3, 1, 'same', 'mish'), apply(conv(3, 1, 1, 'same', 'relu'), stem));
      const b3 = apply(conv(2, 5, 1, 'same', 'softplus'), apply(conv(2, 1, 1, 'same', 'relu'), stem));
      const b4 = apply(conv(2, 1, 1, 'same', 'relu6'), apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }), stem));
      const merged = apply(tf.layers.concatenate(), [b1, b2, b3, b4]);
      const pooled = apply(tf.layers.globalAveragePooling2d({}), merged);
      return tf.model({ inputs: input, outputs: apply(dense(10, 'softmax'), pooled) });
    },
  },
  {
    name: 'resnet-like (strided residual block, 1x1 shortcut, add, avg pool 3/1 same, logits)',
    inputShape: [10, 10, 3],
    logits: true,
    build: () => {
      const input = tf.input({ shape: [10, 10, 3] });
      const bn = (x: tf.SymbolicTensor): tf.SymbolicTensor => apply(tf.layers.batchNormalization(), x);
      const stem = apply(tf.layers.activation({ activation: 'relu' }), bn(apply(conv(6, 3, 1, 'same', 'linear', false), input)));
      let g = apply(tf.layers.activation({ activation: 'softsign' }), bn(apply(conv(8, 3, 2, 'same', 'linear', false), stem)));
      g = bn(apply(conv(8, 3, 1, 'same', 'linear', false), g));
      const shortcut = bn(apply(conv(8, 1, 2, 'valid', 'linear', false), stem));
      const sum = apply(tf.layers.activation({ activation: 'hardSigmoid' }), apply(tf.layers.add(), [g, shortcut]));
      const pooled = apply(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }), sum);
      const features = apply(tf.layers.globalAveragePooling2d({}), pooled);
      return tf.model({ inputs: input, outputs: apply(dense(10, 'linear'), features) });
    },
  },
  {
    name: 'separable (depthwise and separable convs, as in Xception/MobileNet backbones)',
    inputShape: [12, 12, 3],
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.inputLayer({ inputShape: [12, 12, 3] }),
          tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu', depthwiseInitializer: init() }),
          tf.layers.separableConv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(), pointwiseInitializer: init() }),
          tf.layers.globalAveragePooling2d({}),
          dense(10, 'softmax'),
        ],
      }),
  },
];

/** Categorical cross-entropy as the trainer computes it (softmax outputs), or from logits. */
export function computeLoss(model: tf.LayersModel, logits: boolean, xs: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  const out = model.apply(xs, { training: true }) as tf.Tensor;
  return logits ? tf.losses.softmaxCrossEntropy(ys, out) : (tf.metrics.categoricalCrossentropy(ys, out).mean() as tf.Scalar);
}

/** Runs f with Math.random replaced by a fixed sequence, so dropout masks agree between runs. */
export function withFixedRandom<T>(f: () => T): T {
  const original = Math.random;
  let state = 12345;
  Math.random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  try {
    return f();
  } finally {
    Math.random = original;
  }
}
