import * as tf from '@tensorflow/tfjs';

import type { TEpochMetric } from '@hyperzoo/schemas';

import type { EarlyStopping, TEarlyStoppingStep } from './early-stopping';
import { applyRest, frozenFeatures, splitFrozenPrefix, type TFrozenSplit } from './frozen-prefix';
import { crossentropyAndCorrect } from './loss';
import { deriveEpochSeed, type SeededRandom, withSeededMathRandom } from './rng';
import { regularizationLoss, trainableVariables, type WeightSnapshot } from './weights';

/** One batch: xs NHWC model input, ys one-hot; whoever iterates disposes both. */
export interface TBatch {
  xs: tf.Tensor;
  ys: tf.Tensor;
  size: number;
}

/** Yields one pass over a split; a shuffle seed per epoch (null: fixed order). */
export type TBatchSource = (shuffleSeed: number | null) => Iterable<TBatch> | AsyncIterable<TBatch>;

export interface TBatchProgress {
  epoch: number;
  /** 1-based batch index within the epoch. */
  batch: number;
  batches: number | null;
  /** Running mean of the epoch's training loss so far. */
  loss: number;
}

export interface FitPhaseOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  learningRate: number;
  phase: TEpochMetric['phase'];
  /** 1-based, inclusive; the run's epoch numbering. */
  firstEpoch: number;
  lastEpoch: number;
  /** Run seed: each epoch's shuffle seed is derived from it and the epoch number. */
  seed: number;
  /** Replaces Math.random inside training steps (dropout masks); its state is checkpointed. */
  rng: SeededRandom;
  /** Keras early stopping, or a tracker with infinite patience when the run has none. */
  earlyStopping: EarlyStopping;
  snapshot: WeightSnapshot;
  train: TBatchSource;
  trainBatches?: number | null;
  validation: TBatchSource | null;
  signal?: AbortSignal;
  onBatchEnd?: (p: TBatchProgress) => void;
  /** Called after the early-stopping update of the epoch (checkpoint here). */
  onEpochEnd?: (metric: TEpochMetric, step: TEarlyStoppingStep) => void | Promise<void>;
}

export type TFitStatus = 'completed' | 'early-stopped' | 'cancelled' | 'diverged';

export interface FitPhaseResult {
  status: TFitStatus;
  /** Last epoch completed (null if none). */
  lastEpoch: number | null;
  error: string | null;
}

/** Mean categorical cross-entropy and accuracy of a split (inference mode). */
export async function evaluateModel(
  model: tf.LayersModel,
  batches: Iterable<TBatch> | AsyncIterable<TBatch>,
  signal?: AbortSignal,
): Promise<{ loss: number; accuracy: number; count: number } | null> {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of batches) {
    try {
      if (signal?.aborted) return null;
      const [l, c] = tf.tidy(() => {
        const preds = model.apply(batch.xs, { training: false }) as tf.Tensor;
        return [tf.metrics.categoricalCrossentropy(batch.ys, preds).sum(), tf.metrics.categoricalAccuracy(batch.ys, preds).sum()];
      }) as [tf.Scalar, tf.Scalar];
      const [lv, cv] = await Promise.all([l.data(), c.data()]);
      tf.dispose([l, c]);
      lossSum += lv[0] as number;
      correct += cv[0] as number;
      count += batch.size;
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN, count };
  // Keras adds the regularization losses to the evaluated loss as well.
  const reg = regularizationLoss(model);
  const regValue = reg ? ((await reg.data())[0] as number) : 0;
  reg?.dispose();
  return { loss: lossSum / count + regValue, accuracy: correct / count, count };
}

/**
 * One optimizer step; returns the batch loss and number of correct predictions (caller disposes).
 * With a frozen prefix, its layers run before (outside) the gradient tape: the same
 * numbers, without recording kernels that no gradient goes through.
 */
function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, vars: tf.Variable[], batch: TBatch, frozen: TFrozenSplit | null): [tf.Scalar, tf.Scalar] {
  let correct: tf.Scalar | null = null;
  const features = frozen ? frozenFeatures(frozen, batch.xs) : null;
  try {
    const loss = optimizer.minimize(
      () => {
        const preds = (frozen && features ? applyRest(frozen, features) : model.apply(batch.xs, { training: true })) as tf.Tensor;
        // Same forward pass as the loss, as Keras' training accuracy.
        const { loss: ce, correct: batchCorrect } = crossentropyAndCorrect(batch.ys, preds);
        correct = tf.keep(batchCorrect);
        const reg = regularizationLoss(model);
        return reg ? ce.add(reg) : ce;
      },
      true,
      vars,
    );
    if (!loss || !correct) throw new Error('optimizer.minimize returned no loss');
    return [loss, correct];
  } finally {
    features?.dispose();
  }
}

/**
 * Trains epochs firstEpoch..lastEpoch with a custom batch loop: stops at the next batch
 * boundary when `signal` aborts (cancelled), on a NaN/inf batch loss (diverged), or when early
 * stopping says so. Reports one Keras-named metric object per completed epoch. Does not restore
 * best weights: the caller does that at the end of the phase (Keras on_train_end).
 */
export async function fitPhase(opts: FitPhaseOptions): Promise<FitPhaseResult> {
  const { model, optimizer, signal } = opts;
  let lastEpoch: number | null = null;
  for (let epoch = opts.firstEpoch; epoch <= opts.lastEpoch; epoch++) {
    if (signal?.aborted) return { status: 'cancelled', lastEpoch, error: null };
    const started = performance.now();
    // Re-read each epoch: the trainable set is fixed within a phase, so this is the same list.
    const vars = trainableVariables(model);
    const frozen = splitFrozenPrefix(model);
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    let batchIndex = 0;
    for await (const batch of opts.train(deriveEpochSeed(opts.seed, epoch))) {
      try {
        if (signal?.aborted) return { status: 'cancelled', lastEpoch, error: null };
        batchIndex += 1;
        const [lossT, correctT] = withSeededMathRandom(opts.rng, () => trainStep(model, optimizer, vars, batch, frozen));
        const [lv, cv] = await Promise.all([lossT.data(), correctT.data()]);
        tf.dispose([lossT, correctT]);
        const loss = lv[0] as number;
        if (!Number.isFinite(loss)) {
          return { status: 'diverged', lastEpoch, error: `loss became ${loss} at epoch ${epoch}, batch ${batchIndex}` };
        }
        // Keras' epoch loss/accuracy: means over samples, each batch weighted by its size.
        lossSum += loss * batch.size;
        correct += cv[0] as number;
        seen += batch.size;
        opts.onBatchEnd?.({ epoch, batch: batchIndex, batches: opts.trainBatches ?? null, loss: lossSum / seen });
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    if (seen === 0) throw new Error(`epoch ${epoch}: the training set yielded no batches`);
    const trainMs = performance.now() - started;
    const val = opts.validation ? await evaluateModel(model, opts.validation(null), signal) : null;
    if (signal?.aborted) return { status: 'cancelled', lastEpoch, error: null };
    const metric: TEpochMetric = {
      epoch,
      phase: opts.phase,
      loss: lossSum / seen,
      accuracy: correct / seen,
      val_loss: val ? finiteOrNull(val.loss) : null,
      val_accuracy: val ? finiteOrNull(val.accuracy) : null,
      lr: opts.learningRate,
      duration_ms: performance.now() - started,
      images_per_sec: trainMs > 0 ? (seen * 1000) / trainMs : null,
    };
    // Early stopping sees the raw values: a NaN val_loss is 'no improvement' for Keras.
    const raw = { loss: metric.loss, accuracy: metric.accuracy, val_loss: val?.loss ?? null, val_accuracy: val?.accuracy ?? null };
    const step = opts.earlyStopping.update(epoch, raw[opts.earlyStopping.monitor]);
    if (step.snapshot) opts.snapshot.take(model);
    lastEpoch = epoch;
    await opts.onEpochEnd?.(metric, step);
    if (step.stop) return { status: 'early-stopped', lastEpoch, error: null };
  }
  return { status: 'completed', lastEpoch, error: null };
}

/** ZEpochMetric has no room for NaN/inf (zod numbers are finite): those are reported as null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
