import * as tf from '@tensorflow/tfjs';

/** What tfjs-layers keeps per layer (protected fields, stable in 4.x). */
interface LayerInternals {
  _trainableWeights: tf.LayerVariable[];
  _nonTrainableWeights: tf.LayerVariable[];
}

/**
 * Every weight of a model in layer order, nested models expanded, independent of which layers
 * are frozen (tfjs' `model.weights` puts trainable weights first, so its order changes when a
 * transfer run unfreezes its backbone). Checkpoints are written and read in this order.
 */
export function collectWeights(model: tf.LayersModel): tf.LayerVariable[] {
  const seen = new Set<number>();
  const out: tf.LayerVariable[] = [];
  const visit = (layer: tf.layers.Layer) => {
    if (layer instanceof tf.LayersModel) {
      for (const inner of layer.layers) visit(inner);
      return;
    }
    const internals = layer as unknown as LayerInternals;
    for (const w of [...internals._trainableWeights, ...internals._nonTrainableWeights]) {
      if (seen.has(w.id)) continue;
      seen.add(w.id);
      out.push(w);
    }
  };
  for (const layer of model.layers) visit(layer);
  return out;
}

/** The tf.Variables the optimizer updates, in a stable order (optimizer state is positional). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Regularization losses of every layer (Keras adds them to loss and val_loss); null if none. */
export function regularizationLoss(model: tf.LayersModel): tf.Scalar | null {
  const fns: (() => tf.Scalar)[] = [];
  const visit = (layer: tf.layers.Layer) => {
    if (layer instanceof tf.LayersModel) {
      for (const inner of layer.layers) visit(inner);
      return;
    }
    fns.push(...layer.losses);
  };
  for (const layer of model.layers) visit(layer);
  if (fns.length === 0) return null;
  return tf.tidy(() => tf.addN(fns.map((fn) => fn())) as tf.Scalar);
}

/** Writes values (in collectWeights order) into a model, checking count and shapes. */
export function assignWeights(model: tf.LayersModel, values: tf.Tensor[], where: string): void {
  const weights = collectWeights(model);
  if (weights.length !== values.length) {
    throw new Error(`${where}: ${values.length} weight tensors for a model with ${weights.length} weights`);
  }
  weights.forEach((w, i) => {
    const v = values[i] as tf.Tensor;
    if (w.shape.join(',') !== v.shape.join(',')) {
      throw new Error(`${where}: weight ${i} (${w.originalName}) has shape [${w.shape.join(',')}] in the model, [${v.shape.join(',')}] in the file`);
    }
    w.write(v);
  });
}

/** In-memory copy of a model's weights (restore_best_weights). */
export class WeightSnapshot {
  private values: tf.Tensor[] | null = null;

  get isEmpty(): boolean {
    return this.values === null;
  }

  take(model: tf.LayersModel): void {
    this.dispose();
    this.values = collectWeights(model).map((w) => tf.clone(w.read()));
  }

  /** Takes ownership of tensors already in collectWeights order (e.g. read from a checkpoint). */
  adopt(values: tf.Tensor[]): void {
    this.dispose();
    this.values = values;
  }

  restore(model: tf.LayersModel): void {
    if (this.values) assignWeights(model, this.values, 'best-weights snapshot');
  }

  dispose(): void {
    if (this.values) tf.dispose(this.values);
    this.values = null;
  }
}
