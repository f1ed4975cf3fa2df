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
