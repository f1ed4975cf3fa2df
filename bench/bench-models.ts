import type * as tf from '@tensorflow/tfjs';

import { buildAlexnet, buildGooglenet, buildLenet5, buildMlp, buildResnet, buildTransfer } from '@hyperzoo/models';

export type TBenchArch = {
  arch: string;
  /** The zoo configuration benchmarked: small enough for a CPU, all on 28x28x1 Fashion-MNIST. */
  config: string;
  build: () => tf.LayersModel;
  /** Images per timed epoch unless --images says otherwise: fast = wasm/tensorflow, cpu = pure JS. */
  defaultImages: { fast: number; cpu: number };
};

export const BENCH_ARCHS: TBenchArch[] = [
  { arch: 'mlp', config: 'default (266,610 params)', build: () => buildMlp(), defaultImages: { fast: 10_000, cpu: 2_000 } },
  { arch: 'lenet5', config: 'default (61,706 params)', build: () => buildLenet5(), defaultImages: { fast: 10_000, cpu: 320 } },
  { arch: 'alexnet', config: 'resize 67, width 0.25', build: () => buildAlexnet({ resize: 67, width: 0.25 }), defaultImages: { fast: 1_000, cpu: 64 } },
  { arch: 'googlenet', config: 'small stem, width 0.25', build: () => buildGooglenet({ width: 0.25 }), defaultImages: { fast: 1_000, cpu: 64 } },
  { arch: 'resnet', config: 'ResNet-18 layout, small stem, width 0.25', build: () => buildResnet({ width: 0.25 }), defaultImages: { fast: 1_000, cpu: 64 } },
  {
    arch: 'transfer',
    config: 'lenet5 backbone cut at average_pooling2d_2, frozen, new dense head',
    build: () => buildTransfer({ backbone: buildLenet5(), featureLayer: 'average_pooling2d_2', classes: 10 }),
    defaultImages: { fast: 10_000, cpu: 640 },
  },
];
