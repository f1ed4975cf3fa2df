import * as tf from '@tensorflow/tfjs';

import { applyRest, crossentropyAndCorrect, frozenFeatures, splitFrozenPrefix, type TFrozenSplit } from '@hyperzoo/models';

/** Frozen prefixes per model, split once (bench models do not change trainability). */
const splits = new WeakMap<tf.LayersModel, TFrozenSplit | null>();

/**
 * One training step as libs/models' trainer takes it: optimizer.minimize over model.apply with
 * categorical cross-entropy, the batch's accuracy from the same forward pass (one kernel on wasm), and both values
 * read back to the host. As the trainer, a frozen leading part (transfer) runs before the tape.
 */
export async function runTrainStep(model: tf.LayersModel, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  if (!splits.has(model)) splits.set(model, splitFrozenPrefix(model));
  const frozen = splits.get(model) ?? null;
  const features = frozen ? frozenFeatures(frozen, xs) : null;
  let correct: tf.Scalar | null = null;
  const loss = optimizer.minimize(() => {
    const preds = (frozen && features ? applyRest(frozen, features) : model.apply(xs, { training: true })) as tf.Tensor;
    const { loss, correct: batchCorrect } = crossentropyAndCorrect(ys, preds);
    correct = tf.keep(batchCorrect);
    return loss;
  }, true);
  features?.dispose();
  if (loss == null || correct == null) throw new Error('minimize returned no loss');
  const [lv] = await Promise.all([loss.data(), (correct as tf.Scalar).data()]);
  tf.dispose([loss, correct]);
  return lv[0] as number;
}
