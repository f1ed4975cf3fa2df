import type * as tf from '@tensorflow/tfjs';

import type { TArchitecture, TRunConfig } from '@hyperzoo/schemas';

import { ALEXNET_DEFAULT_RESIZE, buildAlexnet, type TAlexnetOptionsInput } from './alexnet';
import { buildGooglenet, type TGooglenetOptionsInput } from './googlenet';
import { ZooBuildError } from './graph';
import { buildLenet5, type TLenet5OptionsInput } from './lenet5';
import { buildMlp, type TMlpOptionsInput } from './mlp';
import type { TInputShape } from './options';
import { buildResnet, type TResnetOptionsInput } from './resnet';
import { buildTransfer, type TTransferOptionsInput } from './transfer';

/** What the data pipeline feeds the model (after its own resizing / channel handling). */
export interface TZooDataShape {
  height: number;
  width: number;
  channels: number;
  classes: number;
}

export type TTransferSpecOptions = Omit<TTransferOptionsInput, 'backbone'>;

/** Builder options for one run; transfer still needs its backbone loaded (async) from `source`. */
export type TZooBuildSpec =
  | { arch: 'mlp'; options: TMlpOptionsInput }
  | { arch: 'lenet5'; options: TLenet5OptionsInput }
  | { arch: 'alexnet'; options: TAlexnetOptionsInput }
  | { arch: 'googlenet'; options: TGooglenetOptionsInput }
  | { arch: 'resnet'; options: TResnetOptionsInput }
  | { arch: 'transfer'; options: TTransferSpecOptions; source: NonNullable<TRunConfig['transfer']> };

const USES_DENSE_ACTIVATION: readonly TArchitecture[] = ['lenet5', 'alexnet'];

function reject(arch: TArchitecture, field: string, why: string): never {
  throw new ZooBuildError(`run config: ${field} does not apply to ${arch} (${why})`);
}

/**
 * Maps the shared run config (libs/schemas run-config.ts) plus the data's shape to builder
 * options. Fields an architecture has no use for are refused rather than silently ignored, so
 * a sweep over them cannot record runs that differ only in name.
 */
export function zooOptionsFromRunConfig(config: TRunConfig, data: TZooDataShape): TZooBuildSpec {
  const arch = config.architecture;
  const inputShape: TInputShape = [data.height, data.width, data.channels];
  const common = { inputShape, classes: data.classes, seed: config.seed };
  if (config.depth !== undefined && arch !== 'resnet') reject(arch, 'depth', 'only resnet has stages of blocks');
  if (config.denseActivation !== undefined && !USES_DENSE_ACTIVATION.includes(arch)) {
    reject(arch, 'denseActivation', arch === 'mlp' ? 'its hidden layers use activation' : 'its only dense layer is the softmax classifier');
  }
  if (config.transfer !== undefined && arch !== 'transfer') reject(arch, 'transfer', 'set architecture to transfer');
  const dropout = config.dropout === undefined ? {} : { dropout: config.dropout };
  const width = config.width === undefined ? {} : { width: config.width };
  const denseActivation = config.denseActivation === undefined ? {} : { denseActivation: config.denseActivation };
  const activation = config.activation;

  switch (arch) {
    case 'mlp':
      return { arch, options: { ...common, activation, ...dropout, ...width } };
    case 'lenet5':
      return { arch, options: { ...common, activation, ...denseActivation, ...dropout, ...width } };
    case 'alexnet':
      // With data.inputSize set the pipeline already resized, so the model's resize is a no-op.
      return {
        arch,
        options: { ...common, resize: config.data.inputSize ?? ALEXNET_DEFAULT_RESIZE, activation, ...denseActivation, ...dropout, ...width },
      };
    case 'googlenet':
      return { arch, options: { ...common, activation, ...dropout, ...width } };
    case 'resnet':
      return { arch, options: { ...common, activation, ...dropout, ...width, ...(config.depth ? { depth: config.depth } : {}) } };
    case 'transfer': {
      if (config.width !== undefined) reject(arch, 'width', 'the backbone fixes the widths');
      const source = config.transfer;
      if (!source || (source.fromRunId === undefined && source.modelUrl === undefined)) {
        throw new ZooBuildError('run config: transfer needs transfer.fromRunId or transfer.modelUrl');
      }
      const freeze = source.freezeUpTo === undefined ? {} : { freezeUpTo: source.freezeUpTo };
      return { arch, options: { ...common, ...dropout, ...freeze }, source };
    }
  }
}

/** Builds the model for a run; transfer runs get their backbone from `loadTransferBackbone`. */
export async function buildModelFromRunConfig(
  config: TRunConfig,
  data: TZooDataShape,
  loadTransferBackbone?: (source: NonNullable<TRunConfig['transfer']>) => Promise<tf.LayersModel>,
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
