import type * as tf from '@tensorflow/tfjs';

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
  });
  return count;
}

/**
 * Step 5 of transfer learning: makes every layer (nested backbones included) trainable again.
 * Compile again afterwards with a much lower learning rate (run config transfer.fineTune
 * .learningRateFactor, default 0.01) so the few new steps only nudge the pretrained weights.
 */
export function unfreezeForFineTuning(model: tf.LayersModel): tf.LayersModel {
  const visit = (layer: tf.layers.Layer): void => {
    layer.trainable = true;
    const nested = (layer as Partial<tf.LayersModel>).layers;
    if (nested) nested.forEach(visit);
  };
  model.trainable = true;
  model.layers.forEach(visit);
  return model;
}
