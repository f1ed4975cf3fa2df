import type * as tf from '@tensorflow/tfjs';

import type { TRunConfig, TTransferSource } from '@hyperzoo/schemas';

import { ALEXNET_DEFAULT_RESIZE, buildAlexnet, type TAlexnetOptionsInput } from './alexnet';
import { buildGooglenet, type TGooglenetOptionsInput } from './googlenet';
import { ZooBuildError } from './graph';
import { buildLenet5, type TLenet5OptionsInput } from './lenet5';
import { buildMlp, type TMlpOptionsInput } from './mlp';
import type { TInputShape } from './options';
import { buildResnet, type TResnetOptionsInput } from './resnet';
import { KNOWN_BACKBONES } from '../transfer/backbone';
import { buildTransfer, type TTransferOptionsInput } from './transfer';

/** What the data pipeline feeds the model (after its own resizing / channel handling). */
export interface TZooDataShape {
  height: number;
  width: number;
  channels: number;
  classes: number;
}

type TTransferSpecOptions = Omit<TTransferOptionsInput, 'backbone'>;

/** Builder options for one run; transfer still needs its backbone loaded (async) from `source`. */
export type TZooBuildSpec =
  | { arch: 'mlp'; options: TMlpOptionsInput }
  | { arch: 'lenet5'; options: TLenet5OptionsInput }
  | { arch: 'alexnet'; options: TAlexnetOptionsInput }
  | { arch: 'googlenet'; options: TGooglenetOptionsInput }
  | { arch: 'resnet'; options: TResnetOptionsInput }
  | { arch: 'transfer'; options: TTransferSpecOptions; source: TTransferSource };

/**
 * A parsed run config (libs/schemas: each architecture's schema admits only its own options)
 * plus the data's shape, as builder options. Only what needs the data is added here.
 */
export function zooOptionsFromRunConfig(config: TRunConfig, data: TZooDataShape): TZooBuildSpec {
  const inputShape: TInputShape = [data.height, data.width, data.channels];
  const common = { inputShape, classes: data.classes, seed: config.seed };
  switch (config.architecture) {
    case 'mlp': {
      const { activation, dropout, width } = config;
      return { arch: 'mlp', options: { ...common, activation, dropout, width } };
    }
    case 'lenet5': {
      const { activation, denseActivation, dropout, width } = config;
      return { arch: 'lenet5', options: { ...common, activation, denseActivation, dropout, width } };
    }
    case 'alexnet': {
      const { activation, denseActivation, dropout, width } = config;
      // With data.inputSize set the pipeline already resized, so the model's resize is a no-op.
      const resize = config.data.inputSize ?? ALEXNET_DEFAULT_RESIZE;
      return { arch: 'alexnet', options: { ...common, resize, activation, denseActivation, dropout, width } };
    }
    case 'googlenet': {
      const { activation, dropout, width, stem } = config;
      return { arch: 'googlenet', options: { ...common, activation, dropout, width, stem } };
    }
    case 'resnet': {
      const { activation, dropout, width, depth, stem } = config;
      return { arch: 'resnet', options: { ...common, activation, dropout, width, depth, stem } };
    }
    case 'transfer': {
      const source = config.transfer;
      const freeze = source.freezeUpTo === undefined ? {} : { freezeUpTo: source.freezeUpTo };
      // A known ImageNet backbone takes 0-255 pixels through its own preprocess_input; the batches are in [0, 1].
      const known = source.backbone === undefined ? null : KNOWN_BACKBONES[source.backbone];
      const pretrained = known ? { preprocessing: known.preprocessing, pixelScale: 255, featureLayer: known.featureLayer } : {};
      return { arch: 'transfer', options: { ...common, dropout: config.dropout, ...freeze, ...pretrained }, source };
    }
  }
}

/** Builds the model for a run; transfer runs get their backbone from `loadTransferBackbone`. */
export async function buildModelFromRunConfig(
  config: TRunConfig,
  data: TZooDataShape,
  loadTransferBackbone?: (source: TTransferSource) => Promise<tf.LayersModel>,
): Promise<tf.LayersModel> {
  const spec = zooOptionsFromRunConfig(config, data);
  switch (spec.arch) {
    case 'mlp':
      return buildMlp(spec.options);
    case 'lenet5':
      return buildLenet5(spec.options);
    case 'alexnet':
      return buildAlexnet(spec.options);
    case 'googlenet':
      return buildGooglenet(spec.options);
    case 'resnet':
      return buildResnet(spec.options);
    case 'transfer': {
      if (!loadTransferBackbone) throw new ZooBuildError('transfer run: no backbone loader given');
      const backbone = await loadTransferBackbone(spec.source);
      try {
        return buildTransfer({ ...spec.options, backbone });
      } catch (err) {
        backbone.dispose();
        throw err;
      }
    }
  }
}
