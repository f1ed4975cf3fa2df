import { dirname, join, resolve } from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { batchIterator, countBatches, getBatchShape, loadDataset, type ImageSet } from '@hyperzoo/data';
import type { TRunConfig, TRunResult, TTransferSource } from '@hyperzoo/schemas';

import { initBackend } from '../backend';
import type { TBackendName, TBackendPreference } from '../backend/backend-preference';
import { loadBackbone, loadKnownBackbone } from '../transfer/backbone';
import { buildModelFromRunConfig } from '../zoo/run-config';
import { saveFinalModel } from './checkpoint';
import type { TBatchSource } from './fit';
import { loadRunModel, resolveRunModelDir } from './run-model';
import { trainModel, type TrainHooks } from './trainer';

export type { TrainHooks } from './trainer';

export interface TrainEnv {
  backend?: TBackendPreference;
  /** Where verified IDX downloads are cached (libs/data). */
  dataCacheDir?: string;
  /** A local folder with the four IDX files of the data set. */
  idxDir?: string;
  /** Root that image-folder data sets resolve in. */
  dataRoot?: string;
  /**
   * Where runs' checkpoint directories live (`<artifactRoot>/<runId>`): transfer.fromRunId looks
   * here. Default: the parent of hooks.checkpointDir (the worker's `<HZ_ARTIFACT_DIR>/<runId>`).
   */
  artifactRoot?: string;
  /** Extra directories transfer.modelUrl file paths may point into. */
  modelRoots?: string[];
  /** URL prefixes transfer.modelUrl may load from over http(s) (the operator's allow-list). */
  modelUrls?: string[];
  /** Most bytes a transfer.modelUrl backbone may download (HZ_MODEL_MAX_BYTES). */
  modelMaxBytes?: number;
}

export type TRunTrainingResult = TRunResult & { provenance: unknown; epochs: number };

const RUN_ID = /^[\w-]+$/;

/** The backbone of a transfer run: a finished run's final model (else its newest checkpoint), or a model directory/URL. */
async function loadTransferBackbone(source: TTransferSource, env: TrainEnv): Promise<tf.LayersModel> {
  if (source.fromRunId !== undefined) {
    if (!env.artifactRoot) throw new Error('transfer.fromRunId: no artifact root configured to find the run\'s checkpoints in');
    if (!RUN_ID.test(source.fromRunId)) throw new Error(`transfer.fromRunId: '${source.fromRunId}' is not a run id`);
    const runDir = join(env.artifactRoot, source.fromRunId);
    try {
      return await loadRunModel(env.artifactRoot, await resolveRunModelDir(env.artifactRoot, source.fromRunId));
    } catch (err) {
      // The run's words, not the worker's directories: a run config must not map the worker's disk.
      const message = (err as Error).message.replaceAll(resolve(runDir), `<run ${source.fromRunId}>`).replaceAll(runDir, `<run ${source.fromRunId}>`);
      throw new Error(`transfer.fromRunId: cannot load a model of run ${source.fromRunId}: ${message}`);
    }
  }
  const roots = [...(env.artifactRoot ? [env.artifactRoot] : []), ...(env.modelRoots ?? [])];
  const options = { allowedRoots: roots, allowedUrls: env.modelUrls ?? [], maxBytes: env.modelMaxBytes, sha256: source.modelSha256 };
  if (source.backbone !== undefined) return (await loadKnownBackbone(source.backbone, source.modelUrl, options)).model;
  if (source.modelUrl === undefined) throw new Error('transfer: needs transfer.fromRunId, transfer.modelUrl or transfer.backbone');
  return loadBackbone(source.modelUrl, options);
}

/**
 * Trains one run end to end, as the worker's trainer child (and `hz train`) call it: backend,
 * data (libs/data), model (zoo), training with checkpoints/resume, test evaluation. Never
 * throws for a failed run: it returns status 'failed' with the error text.
 */
export async function runTraining(config: TRunConfig, hooks: TrainHooks = {}, env: TrainEnv = {}): Promise<TRunTrainingResult> {
  let epochs = 0;
  let provenance: unknown = null;
  let backend: TBackendName | null = null;
  let device: string | null = null;
  let paramCount: number | null = null;
  const log = hooks.log ?? (() => {});
  try {
    // Parsed at the process boundary (the trainer's IPC message, `hz train`'s flags): typed here.
    const run = config;
    const info = await initBackend(env.backend ?? 'auto');
    backend = info.backend;
    device = info.device;
    for (const reason of info.fallbackReasons) log(`backend: ${reason}`);

    const dataset = await loadDataset(run.data, { seed: run.seed, cacheDir: env.dataCacheDir, idxDir: env.idxDir, dataRoot: env.dataRoot });
    provenance = dataset.provenance;
    for (const warning of dataset.warnings) log(`data: ${warning}`);
    const classes = dataset.classNames.length;
    const shapeOptions = { inputSize: run.data.inputSize, channels: run.data.channels };
    const [height, width, channels] = getBatchShape(dataset.train, shapeOptions);
    const source =
      (set: ImageSet): TBatchSource =>
      (shuffleSeed) =>
        batchIterator(set, { batchSize: run.batchSize, shuffleSeed, numClasses: classes, ...shapeOptions });

    const artifactRoot = env.artifactRoot ?? (hooks.checkpointDir ? dirname(resolve(hooks.checkpointDir)) : undefined);
    const model = await buildModelFromRunConfig(run, { height, width, channels, classes }, (s) => loadTransferBackbone(s, { ...env, artifactRoot }));
    paramCount = model.countParams();
    log(`${run.architecture}: ${paramCount} params, input ${height}x${width}x${channels}, ${classes} classes, backend ${backend}`);

    const result = await trainModel({
      config: run,
      model,
      data: {
        train: source(dataset.train),
        trainBatches: countBatches(dataset.train.count, run.batchSize),
        validation: dataset.validation && dataset.validation.count > 0 ? source(dataset.validation) : null,
        test: source(dataset.test),
      },
      hooks: {
        ...hooks,
        onEpochEnd: async (m) => {
          epochs += 1;
          await hooks.onEpochEnd?.(m);
        },
      },
    });
    try {
      epochs = result.history.length;
      if (result.status === 'succeeded' && hooks.checkpointDir) log(`final model: ${await saveFinalModel(hooks.checkpointDir, result.model)}`);
    } finally {
      result.model.dispose();
    }
    return {
      status: result.status,
      bestEpoch: result.bestEpoch,
      stoppedEpoch: result.stoppedEpoch,
      testLoss: result.testLoss,
      testAccuracy: result.testAccuracy,
      paramCount: result.paramCount,
      backend,
      device,
      error: result.error,
      provenance,
      epochs,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`training failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
    return {
      status: 'failed',
      bestEpoch: null,
      stoppedEpoch: null,
      testLoss: null,
      testAccuracy: null,
      paramCount,
      backend,
      device,
      error: message,
      provenance,
      epochs,
    };
  }
}
