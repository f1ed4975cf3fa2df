import type * as tf from '@tensorflow/tfjs';

import type { TArchitecture } from '@hyperzoo/schemas';

import { buildAlexnet, type TAlexnetOptionsInput } from './alexnet';
import { buildGooglenet, type TGooglenetOptionsInput } from './googlenet';
import { buildLenet5, type TLenet5OptionsInput } from './lenet5';
import { buildMlp, type TMlpOptionsInput } from './mlp';
import { buildResnet, type TResnetOptionsInput } from './resnet';
import { buildTransfer, type TTransferOptionsInput } from './transfer';

export * from './alexnet';
export * from './googlenet';
export { GraphBuilder, ZooBuildError, createSeedSequence, scaleWidth } from './graph';
export * from './lenet5';
export * from './mlp';
export * from './options';
export * from './resizing-layer';
export * from './resnet';
export * from './run-config';
export * from './summary';
export * from './transfer';

/** Builder options per architecture (inputs, before zod defaults). */
export interface TZooOptionsMap {
  mlp: TMlpOptionsInput;
  lenet5: TLenet5OptionsInput;
  alexnet: TAlexnetOptionsInput;
  googlenet: TGooglenetOptionsInput;
  resnet: TResnetOptionsInput;
  transfer: TTransferOptionsInput;
}

const BUILDERS: { [A in TArchitecture]: (options: TZooOptionsMap[A]) => tf.LayersModel } = {
  mlp: buildMlp,
  lenet5: buildLenet5,
  alexnet: buildAlexnet,
  googlenet: buildGooglenet,
  resnet: buildResnet,
  transfer: buildTransfer,
};

/** Builds a fresh, uncompiled model of the zoo (shared/ZOO.md). Throws ZooBuildError on bad options. */
export function buildModel<A extends TArchitecture>(arch: A, options: TZooOptionsMap[A]): tf.LayersModel {
  const builder = BUILDERS[arch] as ((options: TZooOptionsMap[A]) => tf.LayersModel) | undefined;
  if (!builder) throw new Error(`unknown architecture '${String(arch)}' (known: ${Object.keys(BUILDERS).join(', ')})`);
  return builder(options);
}

/** One line per architecture, for `hz zoo list` and the dashboard. */
export const ZOO_CATALOG: readonly { arch: TArchitecture; description: string; knobs: readonly string[] }[] = [
  { arch: 'mlp', description: 'Flatten -> Dense 300 -> Dense 100 -> softmax (baseline; 266,610 params on 28x28x1)', knobs: ['activation', 'dropout', 'width'] },
  {
    arch: 'lenet5',
    description: 'Conv 6@5x5 same -> AvgPool -> Conv 16@5x5 -> AvgPool -> Dense 120 -> 84 -> softmax (61,706 params on 28x28x1)',
    knobs: ['activation', 'denseActivation', 'dropout', 'width'],
  },
  {
    arch: 'alexnet',
    description: 'Resize to S (227) -> 5 conv+BN (96@11x11/4 .. 256@3x3), 3 max-pools -> Dense 4096 x2 with dropout 0.5 -> softmax',
    knobs: ['activation', 'denseActivation', 'dropout', 'width', 'resize'],
  },
  {
    arch: 'googlenet',
    description: 'Inception v1: stem -> inception 3a..5b (4 parallel branches each) -> global average pool -> dropout 0.4 -> softmax',
    knobs: ['activation', 'dropout', 'width', 'stem'],
  },
  {
    arch: 'resnet',
    description: 'Basic residual blocks (ResNet-18 layout 2,2,2,2 at 64..512 channels), projection shortcuts, zero-init last BN gamma',
    knobs: ['activation', 'dropout', 'width', 'depth', 'stem'],
  },
  {
    arch: 'transfer',
    description: 'A loaded backbone (run checkpoint or converted Keras ResNet50/Xception/MobileNet), frozen, under a new pooled dense head',
    knobs: ['dropout', 'freezeUpTo', 'featureLayer', 'head', 'preprocessing'],
  },
];
