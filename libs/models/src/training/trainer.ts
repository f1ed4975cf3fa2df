import type * as tf from '@tensorflow/tfjs';

import type { TEarlyStopping, TEpochMetric, TRunConfig } from '@hyperzoo/schemas';

import { unfreezeForFineTuning } from '../transfer/freeze';
import {
  loadCheckpointWeights,
  loadOptimizerState,
  pruneCheckpoints,
  readCheckpointState,
  readCheckpointWeights,
  resolveCheckpointDir,
  saveCheckpoint,
  siblingCheckpoint,
  type TCheckpointState,
} from './checkpoint';
import { EarlyStopping } from './early-stopping';
import { evaluateModel, fitPhase, type TBatchProgress, type TBatchSource, type TFitStatus } from './fit';
import { createOptimizer } from './optimizers';
import { SeededRandom } from './rng';
import { WeightSnapshot } from './weights';

export interface TrainHooks {
  onEpochEnd?: (m: TEpochMetric) => void | Promise<void>;
  onCheckpoint?: (c: { epoch: number; dir: string; isBest: boolean }) => void | Promise<void>;
  signal?: AbortSignal;
  checkpointDir?: string;
  /** A checkpoint directory, or a checkpoint root (its newest checkpoint is used). */
  resumeFrom?: string | null;
  log?: (msg: string) => void;
  /** Per batch, for progress bars. */
  onBatchEnd?: (p: TBatchProgress) => void;
}

export interface TrainData {
  train: TBatchSource;
  /** Batches per training epoch (progress display only). */
  trainBatches?: number | null;
  validation: TBatchSource | null;
  test: TBatchSource | null;
}

export interface TrainModelOptions {
  config: TRunConfig;
  /**
   * A freshly built model (seeded initializers: the zoo seeds from config.seed); trainModel owns
   * it from here on and disposes it on error.
   */
  model: tf.LayersModel;
  data: TrainData;
  hooks?: TrainHooks;
}

export interface TrainModelResult {
  status: 'succeeded' | 'cancelled' | 'diverged';
  bestEpoch: number | null;
  stoppedEpoch: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  paramCount: number;
  error: string | null;
  history: TEpochMetric[];
  /** The trained model (best weights restored when asked); the caller disposes it. */
  model: tf.LayersModel;
}

/** Seeds the generator that stands in for Math.random inside training steps (dropout masks). */
const STEP_RNG_SALT = 0x5bd1e995;

/** Keras EarlyStopping from the config; without one, a tracker that only finds the best epoch. */
function createEarlyStopping(config: TEarlyStopping | null, hasValidation: boolean, state?: TCheckpointState['earlyStopping']): EarlyStopping {
  const tracker: TEarlyStopping = {
    monitor: hasValidation ? 'val_loss' : 'loss',
    mode: 'auto',
    patience: Number.POSITIVE_INFINITY,
    minDelta: 0,
    baseline: null,
    restoreBestWeights: false,
    startFromEpoch: 0,
  };
  return new EarlyStopping(config ?? tracker, state);
}

interface PhasePlan {
  phase: TEpochMetric['phase'];
  learningRate: number;
  epochs: number;
}

/**
 * Trains a model from a run config: optimizer, Keras early stopping, checkpoints every
 * `checkpointEvery` epochs and at each best epoch (plus each phase's last), resume, the
 * transfer fine-tuning phase, and the final test evaluation.
 */
export async function trainModel(opts: TrainModelOptions): Promise<TrainModelResult> {
  const { config, data } = opts;
  const hooks = opts.hooks ?? {};
  const log = hooks.log ?? (() => {});
  const { model } = opts;
  const snapshot = new WeightSnapshot();
  let optimizer: tf.Optimizer | null = null;
  try {
    const fineTune = config.architecture === 'transfer' ? config.transfer.fineTune : undefined;
    const plans: PhasePlan[] = [{ phase: 'train', learningRate: config.optimizer.learningRate, epochs: config.epochs }];
    if (fineTune) plans.push({ phase: 'finetune', learningRate: config.optimizer.learningRate * fineTune.learningRateFactor, epochs: fineTune.epochs });
    if (config.earlyStopping?.monitor.startsWith('val_') && !data.validation) {
      log(`early stopping monitors ${config.earlyStopping.monitor} but there is no validation set: it will never fire`);
    }

    const history: TEpochMetric[] = [];
    let rng = new SeededRandom((config.seed ^ STEP_RNG_SALT) >>> 0);
    let resume: { dir: string; state: TCheckpointState } | null = null;
    if (hooks.resumeFrom) {
      const dir = await resolveCheckpointDir(hooks.resumeFrom);
      resume = { dir, state: await readCheckpointState(dir) };
      await loadCheckpointWeights(model, dir);
      rng = SeededRandom.fromState(resume.state.rngState);
      history.push(...resume.state.history);
      log(`resuming from ${dir} (epoch ${resume.state.epoch}, phase ${resume.state.phase})`);
    }

    let status: TFitStatus = 'completed';
    let error: string | null = null;
    let es: EarlyStopping | null = null;
    let earlierStoppedEpoch: number | null = resume?.state.phase === 'finetune' ? resume.state.earlierStoppedEpoch : null;
    let lastEpoch = resume?.state.epoch ?? 0;

    for (const [index, plan] of plans.entries()) {
      const resumeHere = resume?.state.phase === plan.phase ? resume.state : null;
      if (resume && !resumeHere && index === 0 && resume.state.phase === 'finetune') continue; // phase 1 already done
      if (index > 0) {
        // Keras fine-tuning: unfreeze, recompile (fresh optimizer state), train on at a lower rate.
        unfreezeForFineTuning(model);
        earlierStoppedEpoch = es?.stoppedEpoch ?? earlierStoppedEpoch;
      }
      optimizer?.dispose();
      optimizer = createOptimizer(config.optimizer, plan.learningRate);
      es = createEarlyStopping(config.earlyStopping, data.validation !== null, resumeHere?.earlyStopping);
      snapshot.dispose();
      if (resumeHere && resume) {
        await loadOptimizerState(optimizer, resume.dir);
        if (es.shouldRestore && es.bestEpoch !== null) snapshot.adopt(await readCheckpointWeights(siblingCheckpoint(resume.dir, es.bestEpoch)));
      }
      // Phase 1 runs epochs 1..E; fine-tuning continues the numbering after the last epoch trained.
      const phaseStart = resumeHere?.phaseStart ?? (index === 0 ? 1 : lastEpoch + 1);
      const phaseEnd = phaseStart + plan.epochs - 1;
      const firstEpoch = resumeHere ? resumeHere.epoch + 1 : phaseStart;
      const phaseDone = resumeHere?.phaseDone ?? false;
      const phaseOptimizer = optimizer;
      const phaseEs = es;

      const result = phaseDone
        ? { status: 'early-stopped' as const, lastEpoch: resumeHere?.epoch ?? null, error: null }
        : await fitPhase({
            model,
            optimizer: phaseOptimizer,
            learningRate: plan.learningRate,
            phase: plan.phase,
            firstEpoch,
            lastEpoch: phaseEnd,
            seed: config.seed,
            rng,
            earlyStopping: phaseEs,
            snapshot,
            train: data.train,
            trainBatches: data.trainBatches ?? null,
            validation: data.validation,
            signal: hooks.signal,
            onBatchEnd: hooks.onBatchEnd,
            onEpochEnd: async (metric, step) => {
              history.push(metric);
              await hooks.onEpochEnd?.(metric);
              const isBest = step.improved || step.snapshot;
              const periodic = config.checkpointEvery > 0 && metric.epoch % config.checkpointEvery === 0;
              const phaseLast = step.stop || metric.epoch === phaseEnd;
              if (!hooks.checkpointDir || !(periodic || isBest || phaseLast)) return;
              const state: TCheckpointState = {
                version: 1,
                epoch: metric.epoch,
                phase: plan.phase,
                phaseStart,
                phaseDone: step.stop,
                earlyStopping: phaseEs.getState(),
                rngState: rng.state,
                learningRate: plan.learningRate,
                history,
                isBest,
                earlierStoppedEpoch,
              };
              const dir = await saveCheckpoint(hooks.checkpointDir, { model, optimizer: phaseOptimizer, state });
              await pruneCheckpoints(hooks.checkpointDir, [metric.epoch, phaseEs.bestEpoch]);
              await hooks.onCheckpoint?.({ epoch: metric.epoch, dir, isBest });
            },
          });
      lastEpoch = result.lastEpoch ?? lastEpoch;
      status = result.status;
      error = result.error;
      if (status === 'cancelled' || status === 'diverged') break;
      // Keras on_train_end: restore the best weights, whether or not training stopped early.
      if (es.shouldRestore) {
        snapshot.restore(model);
        log(`restored the weights of epoch ${es.bestEpoch}`);
      }
    }

    let test: { loss: number; accuracy: number } | null = null;
    if ((status === 'completed' || status === 'early-stopped') && data.test) {
      test = await evaluateModel(model, data.test(null), hooks.signal);
      if (!test) status = 'cancelled';
    }
    return {
      status: status === 'cancelled' ? 'cancelled' : status === 'diverged' ? 'diverged' : 'succeeded',
      bestEpoch: es?.bestEpoch ?? null,
      stoppedEpoch: config.earlyStopping ? (es?.stoppedEpoch ?? earlierStoppedEpoch) : null,
      testLoss: test && Number.isFinite(test.loss) ? test.loss : null,
      testAccuracy: test && Number.isFinite(test.accuracy) ? test.accuracy : null,
      paramCount: model.countParams(),
      error,
      history,
      model,
    };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    snapshot.dispose();
    optimizer?.dispose();
  }
}
