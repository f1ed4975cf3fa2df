import * as tf from '@tensorflow/tfjs';

/**
 * A model split where its leading layers train nothing (a frozen transfer backbone): `frozen` are
 * those layers (after the input), `rest` the layers after them; both chains, applied in order.
 */
export type TFrozenSplit = { frozen: tf.layers.Layer[]; rest: tf.layers.Layer[] };

/**
 * The split of a model that is one chain of layers (each takes the previous layer's single
 * output) and starts with layers holding no trainable weights; null for anything else (nothing
 * frozen, branches, several inputs or outputs, shared layers). Training computes the frozen part
 * outside the gradient tape: no gradient flows into it, so recording its kernels is only overhead.
 * Re-split when trainability changes (the trainer does it per epoch, with the trainable variables).
 */
export function splitFrozenPrefix(model: tf.LayersModel): TFrozenSplit | null {
  const layers = model.layers;
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || layers[0]?.getClassName() !== 'InputLayer') return null;
  for (let i = 1; i < layers.length; i += 1) {
    const nodes = (layers[i] as unknown as { inboundNodes: Array<{ inboundLayers: tf.layers.Layer[] }> }).inboundNodes;
    if (nodes.length !== 1 || nodes[0]?.inboundLayers.length !== 1 || nodes[0].inboundLayers[0] !== layers[i - 1]) return null;
  }
  if (model.outputs[0]?.sourceLayer !== layers.at(-1)) return null;
  const firstTrained = layers.findIndex((layer) => layer.trainableWeights.length > 0);
  // Only the input layer before the first trained one, or nothing trained at all: no split.
  if (firstTrained <= 1) return null;
  return { frozen: layers.slice(1, firstTrained), rest: layers.slice(firstTrained) };
}

/** A chain of layers in training mode, one after the other (no graph executor: it is a chain). */
const applyChain = (layers: tf.layers.Layer[], x: tf.Tensor): tf.Tensor => layers.reduce((y, layer) => layer.apply(y, { training: true }) as tf.Tensor, x);

/** The frozen layers' output in training mode (as the whole model's forward pass computes it), off the tape. */
export function frozenFeatures(split: TFrozenSplit, xs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => applyChain(split.frozen, xs));
}

/** The rest of the model's forward pass in training mode, from frozenFeatures' output. */
export function applyRest(split: TFrozenSplit, features: tf.Tensor): tf.Tensor {
  return applyChain(split.rest, features);
}
