import * as tf from '@tensorflow/tfjs';

export interface TPrediction {
  classIndex: number;
  className: string;
  probability: number;
}

/**
 * Top-k classes per image, best first, as Keras' decode_predictions: the model's outputs are
 * taken as probabilities (the zoo ends in softmax). Frees every tensor it makes.
 */
export async function predictTopK(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  k: number,
  classNames: readonly string[],
): Promise<TPrediction[][]> {
  const classes = model.outputs[0]?.shape[1];
  if (model.outputs.length !== 1 || typeof classes !== 'number') {
    throw new Error(`predictTopK: ${model.name} must have one output of shape [batch, classes]`);
  }
  if (classNames.length !== classes) {
    throw new Error(`predictTopK: ${classNames.length} class names for ${classes} outputs of ${model.name}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > classes) throw new Error(`predictTopK: k must be an integer in 1..${classes}, got ${k}`);
  if (images.rank !== 4) throw new Error(`predictTopK: images must be NHWC (rank 4), got rank ${images.rank}`);

  const { values, indices } = tf.tidy(() => {
    const probabilities = model.predict(images) as tf.Tensor2D;
    return tf.topk(probabilities, k, true);
  });
  try {
    const [probs, ids] = await Promise.all([values.array(), indices.array()]);
    return ids.map((row, n) =>
      row.map((classIndex, j) => ({ classIndex, className: classNames[classIndex] ?? String(classIndex), probability: probs[n]?.[j] ?? NaN })),
    );
  } finally {
    values.dispose();
    indices.dispose();
  }
}
