import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import { freezeLayers } from '../transfer/freeze';
import { BACKBONE_PREPROCESSING, BackbonePreprocessLayer } from '../transfer/preprocess-layer';
import { GraphBuilder, ZooBuildError, describeInput } from './graph';
import { ARCHITECTURE_OPTIONS, ZClasses, ZInputShape, ZSeed, parseOptions } from './options';

export const ZTransferOptions = z.strictObject({
  /** A loaded model to build on (loadBackbone / loadKnownBackbone). The new model shares its layers. */
  backbone: z.custom<tf.LayersModel>((v) => v instanceof tf.LayersModel, {
    message: 'backbone must be a loaded tf.LayersModel (see loadBackbone)',
  }),
  /** Shape of the data fed to the new model; defaults to the backbone's input shape. */
  inputShape: ZInputShape.optional(),
  classes: ZClasses.default(10),
  /** Cut the backbone at this layer's output. Default: drop a final Dense classifier, if any. */
  featureLayer: z.string().min(1).optional(),
  /** Freeze backbone layers up to this name (inclusive) or this many; default: the whole backbone. */
  freezeUpTo: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
  /** How a 4-D feature map becomes a vector; a 2-D feature goes straight to the classifier. */
  head: z.enum(['avg', 'flatten']).default('avg'),
  ...ARCHITECTURE_OPTIONS.transfer,
  /** The backbone's preprocess_input, applied inside the model ('none' when the data pipeline does it). */
  preprocessing: z.enum(BACKBONE_PREPROCESSING).default('none'),
  /** Multiplies inputs before preprocessing so they are 0-255 (255 for [0,1] data). */
  pixelScale: z.number().positive().default(1),
  seed: ZSeed.default(42),
});
export type TTransferOptions = z.output<typeof ZTransferOptions>;
export type TTransferOptionsInput = z.input<typeof ZTransferOptions>;

function findFeatures(backbone: tf.LayersModel, featureLayer: string | undefined): tf.SymbolicTensor {
  if (featureLayer !== undefined) {
    const layer = backbone.layers.find((l) => l.name === featureLayer);
    if (!layer) throw new ZooBuildError(`transfer: backbone ${backbone.name} has no layer '${featureLayer}'`);
    return layer.output as tf.SymbolicTensor;
  }
  const last = backbone.layers[backbone.layers.length - 1];
  const output = backbone.outputs[0];
  if (backbone.outputs.length !== 1 || !output) throw new ZooBuildError(`transfer: backbone ${backbone.name} must have exactly one output`);
  return last && last.getClassName() === 'Dense' ? (last.input as tf.SymbolicTensor) : output;
}

/**
 * ZOO.md transfer, steps 1-3: the backbone's layers (cut at its feature layer, lower layers
 * frozen) under a new head for the new classes. Optional preprocessing in front (resize, grey
 * to RGB, preprocess_input) makes the saved model self-contained. Step 5 is unfreezeForFineTuning.
 * Takes ownership of the backbone: the layers cut off are freed now, the rest with the returned model.
 */
export function buildTransfer(input: TTransferOptionsInput): tf.LayersModel {
  const o = parseOptions('transfer', ZTransferOptions, input);
  const backbone = o.backbone;
  const backboneShape = backbone.inputs[0]?.shape;
  if (backbone.inputs.length !== 1 || !backboneShape || backboneShape.length !== 4) {
    throw new ZooBuildError(`transfer: backbone ${backbone.name} must have one NHWC image input`);
  }
  const [, bh, bw, bc] = backboneShape;
  const dataShape = o.inputShape ?? [bh, bw, bc];
  if (dataShape.some((d) => d === null)) {
    throw new ZooBuildError(`transfer: backbone ${backbone.name} accepts any image size; give inputShape`);
  }
  const [h, w, c] = dataShape as [number, number, number];
  const target = { height: bh ?? h, width: bw ?? w, channels: bc ?? c };
  if (c !== target.channels && c !== 1) {
    throw new ZooBuildError(`transfer: data has ${c} channels; backbone ${backbone.name} needs ${target.channels} (or 1, repeated)`);
  }
  const g = new GraphBuilder('transfer', describeInput([h, w]), o.seed);

  const featureTensor = findFeatures(backbone, o.featureLayer);
  const features =
    featureTensor === backbone.outputs[0]
      ? backbone
      : tf.model({ inputs: backbone.inputs, outputs: featureTensor, name: `${backbone.name}_features` });
  freezeLayers(features, o.freezeUpTo ?? features.layers.length);

  const needsPreprocess =
    o.preprocessing !== 'none' || o.pixelScale !== 1 || h !== target.height || w !== target.width || c !== target.channels;
  let inputs: tf.SymbolicTensor;
  let x: tf.SymbolicTensor;
  if (needsPreprocess) {
    inputs = tf.input({ shape: [h, w, c], name: 'input' });
    const preprocess = new BackbonePreprocessLayer({ name: 'backbone_preprocess', ...target, mode: o.preprocessing, pixelScale: o.pixelScale });
    // The backbone becomes one nested layer; freezing above acted on its own layers.
    x = g.apply(features, g.apply(preprocess, inputs), true);
  } else {
    inputs = backbone.inputs[0] as tf.SymbolicTensor;
    x = featureTensor;
  }
  if (x.shape.length === 4) {
    x = g.apply(o.head === 'avg' ? tf.layers.globalAveragePooling2d({ name: 'head_pool' }) : tf.layers.flatten({ name: 'head_flatten' }), x);
  } else if (x.shape.length !== 2) {
    throw new ZooBuildError(`transfer: feature output of rank ${x.shape.length} at ${o.featureLayer ?? 'the backbone output'}; need 2 or 4`);
  }
  x = g.dropout(x, 'head_dropout', o.dropout);
  const outputs = g.dense(x, { name: 'head_predictions', units: o.classes, activation: 'softmax' });
  const model = tf.model({ inputs, outputs, name: 'transfer' });
  disposeUnusedLayers(backbone, model);
  return model;
}

/** The backbone's cut-off head belongs to no model any more; free its weights. */
function disposeUnusedLayers(backbone: tf.LayersModel, model: tf.LayersModel): void {
  const used = new Set<tf.layers.Layer>();
  const visit = (layer: tf.layers.Layer): void => {
    used.add(layer);
    (layer as Partial<tf.LayersModel>).layers?.forEach(visit);
  };
  model.layers.forEach(visit);
  for (const layer of backbone.layers) if (!used.has(layer)) for (const weight of layer.weights) weight.dispose();
}
