import * as tf from '@tensorflow/tfjs';

export interface TOneStepResult {
  loss: number;
  /** Largest absolute change of any trainable weight. */
  maxWeightChange: number;
  /** Largest absolute change of any non-trainable weight (frozen layers; BN moving statistics do move). */
  maxNonTrainableChange: number;
}

/** Compiles with adam and runs one training step on seeded random data; used by the zoo tests. */
export async function trainOneStep(model: tf.LayersModel, batch = 2, seed = 1): Promise<TOneStepResult> {
  const shape = model.inputs[0]?.shape.slice(1) as number[];
  const classes = model.outputs[0]?.shape[1] as number;
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const trainable = new Set(model.trainableWeights);
  const before = model.weights.map((w) => ({ trainable: trainable.has(w), values: w.read().dataSync().slice() }));
  const x = tf.randomUniform([batch, ...shape], 0, 1, 'float32', seed);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32'), classes));
  try {
    const result = await model.trainOnBatch(x, y);
    const loss = Array.isArray(result) ? (result[0] as number) : result;
    let maxWeightChange = 0;
    let maxNonTrainableChange = 0;
    model.weights.forEach((w, i) => {
      const prev = before[i];
      if (!prev) return;
      const now = w.read().dataSync();
      let change = 0;
      for (let j = 0; j < now.length; j++) change = Math.max(change, Math.abs((now[j] as number) - (prev.values[j] as number)));
      if (prev.trainable) maxWeightChange = Math.max(maxWeightChange, change);
      else maxNonTrainableChange = Math.max(maxNonTrainableChange, change);
    });
    return { loss, maxWeightChange, maxNonTrainableChange };
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Builds a model only to read its size, then frees it (for the full-size reference counts). */
export function countParamsOf(build: () => tf.LayersModel): { params: number; trainable: number } {
  const model = build();
  try {
    const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
    return { params: model.countParams(), trainable };
  } finally {
    model.dispose();
  }
}
