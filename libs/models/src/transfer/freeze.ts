import type * as tf from '@tensorflow/tfjs';

const INFERENCE_ONLY = Symbol('hz.batchNormInferenceOnly');
type TPatchedLayer = tf.layers.Layer & { [INFERENCE_ONLY]?: boolean };

function visitLayers(layer: tf.layers.Layer, fn: (layer: tf.layers.Layer) => void): void {
  fn(layer);
  (layer as Partial<tf.LayersModel>).layers?.forEach((inner) => visitLayers(inner, fn));
}

/**
 * Keras (TF 2) runs a BatchNormalization layer with trainable = false in inference mode, so a
 * frozen backbone's moving statistics are not overwritten by the new data set; tfjs ignores
 * `trainable` there. This makes the layer use its moving statistics while frozen, or while
 * flagged inference-only (fine-tuning, as the Keras transfer-learning guide advises).
 */
function keepBatchNormInInference(layer: tf.layers.Layer): void {
  const patched = layer as TPatchedLayer;
  if (layer.getClassName() !== 'BatchNormalization' || INFERENCE_ONLY in patched) return;
  patched[INFERENCE_ONLY] = false;
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const inference = layer.trainableWeights.length === 0 || patched[INFERENCE_ONLY] === true;
    return call(inputs, inference ? { ...kwargs, training: false } : kwargs);
  };
}

/**
 * Freezes the lower layers of a backbone so training the new head does not destroy what they
 * learned: `upTo` is a layer name (frozen inclusive) or a count (the first n layers, Keras'
 * `for layer in base.layers[:n]: layer.trainable = False`). Returns how many layers were frozen.
 * Compile (again) afterwards: tfjs collects the trainable weights at compile time.
 */
export function freezeLayers(model: tf.LayersModel, upTo: string | number): number {
  const layers = model.layers;
  let count: number;
  if (typeof upTo === 'number') {
    if (!Number.isInteger(upTo) || upTo < 0 || upTo > layers.length) {
      throw new Error(`freeze: cannot freeze ${upTo} layers of ${model.name}, which has ${layers.length}`);
    }
    count = upTo;
  } else {
    const index = layers.findIndex((l) => l.name === upTo);
    if (index < 0) {
      const names = layers.map((l) => l.name);
      const shown = names.length > 12 ? [...names.slice(0, 6), '...', ...names.slice(-6)] : names;
      throw new Error(`freeze: no layer '${upTo}' in ${model.name} (layers: ${shown.join(', ')})`);
    }
    count = index + 1;
  }
  layers.forEach((layer, i) => {
    layer.trainable = i >= count;
    visitLayers(layer, keepBatchNormInInference);
  });
  return count;
}

/**
 * Step 5 of transfer learning: makes every layer (nested backbones included) trainable again.
 * BatchNormalization layers that were frozen keep using their moving statistics unless
 * `batchNormInference` is false (Keras guide: fine-tune with the base model in inference mode).
 * Compile again afterwards with a much lower learning rate (run config transfer.fineTune
 * .learningRateFactor, default 0.01) so the few new steps only nudge the pretrained weights.
 */
export function unfreezeForFineTuning(model: tf.LayersModel, options: { batchNormInference?: boolean } = {}): tf.LayersModel {
  const inference = options.batchNormInference ?? true;
  model.trainable = true;
  model.layers.forEach((top) =>
    visitLayers(top, (layer) => {
      const patched = layer as TPatchedLayer;
      if (INFERENCE_ONLY in patched && layer.trainableWeights.length === 0) patched[INFERENCE_ONLY] = inference;
      layer.trainable = true;
    }),
  );
  return model;
}
