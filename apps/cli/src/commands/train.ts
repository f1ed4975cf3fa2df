import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';

import { runTraining, ZBackendPreference, type TBackendPreference } from '@hyperzoo/models';
import { ARCHITECTURES, ACTIVATIONS, DATASETS, MONITORS, OPTIMIZERS, toIssues, ZRunConfig, type TEpochMetric, type TRunConfig } from '@hyperzoo/schemas';

/** Raw `hz train` options as commander hands them over (all strings, unparsed). */
export interface TrainFlags {
  arch?: string;
  dataset?: string;
  epochs?: string;
  subset?: string;
  batch?: string;
  backend?: string;
  activation?: string;
  optimizer?: string;
  lr?: string;
  momentum?: string;
  patience?: string;
  monitor?: string;
  restoreBest?: boolean;
  dropout?: string;
  seed?: string;
  validationSize?: string;
  testPerClass?: string;
  inputSize?: string;
  channels?: string;
  folder?: string;
  checkpointDir?: string;
  checkpointEvery?: string;
  resume?: string;
  dataRoot?: string;
  cacheDir?: string;
  idxDir?: string;
  json?: boolean;
}

/** Which flag sets which run-config field, to name the flag in errors. */
const FLAG_OF_PATH: Record<string, string> = {
  architecture: '--arch',
  'data.dataset': '--dataset',
  epochs: '--epochs',
  'data.subsetPerClass': '--subset',
  batchSize: '--batch',
  activation: '--activation',
  'optimizer.name': '--optimizer',
  'optimizer.learningRate': '--lr',
  'optimizer.momentum': '--momentum',
  'earlyStopping.patience': '--patience',
  'earlyStopping.monitor': '--monitor',
  dropout: '--dropout',
  seed: '--seed',
  'data.validationSize': '--validation-size',
  'data.testPerClass': '--test-per-class',
  'data.inputSize': '--input-size',
  'data.channels': '--channels',
  'data.folder': '--folder',
  checkpointEvery: '--checkpoint-every',
};

export class TrainUsageError extends Error {
  override name = 'TrainUsageError';
}

/** A number flag as given; 'abc' becomes NaN so zod reports it at the field's path. */
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** Flags not given are left out, so an architecture's schema sees only the options that were set. */
const given = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Turns `hz train` flags into a validated run config; errors name the flag and the zod path. */
export function parseTrainFlags(flags: TrainFlags): { config: TRunConfig; backend: TBackendPreference } {
  const earlyStopping =
    flags.patience !== undefined || flags.monitor !== undefined || flags.restoreBest
      ? { patience: num(flags.patience), monitor: flags.monitor, restoreBestWeights: flags.restoreBest ?? false }
      : null;
  const input = {
    architecture: flags.arch,
    data: {
      dataset: flags.dataset,
      subsetPerClass: num(flags.subset) ?? null,
      validationSize: num(flags.validationSize),
      testPerClass: num(flags.testPerClass) ?? null,
      inputSize: num(flags.inputSize) ?? null,
      channels: num(flags.channels) ?? null,
      folder: flags.folder,
    },
    epochs: num(flags.epochs),
    batchSize: num(flags.batch),
    optimizer: { name: flags.optimizer, learningRate: num(flags.lr), momentum: num(flags.momentum) },
    ...given({ activation: flags.activation, dropout: num(flags.dropout) }),
    seed: num(flags.seed),
    earlyStopping,
    checkpointEvery: num(flags.checkpointEvery),
  };
  const parsed = ZRunConfig.safeParse(input);
  if (!parsed.success) {
    const issue = toIssues(parsed.error)[0];
    const path = issue?.path ?? '';
    const flag = FLAG_OF_PATH[path];
    throw new TrainUsageError(`invalid ${flag ? `${flag} (${path})` : path || 'options'}: ${issue?.message}`);
  }
  const backend = ZBackendPreference.safeParse(flags.backend ?? 'auto');
  if (!backend.success) throw new TrainUsageError(`invalid --backend (backend): ${backend.error.issues[0]?.message}`);
  return { config: parsed.data, backend: backend.data };
}

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '-' : x.toFixed(digits));

function describeEpoch(m: TEpochMetric, epochs: number): string {
  return (
    `epoch ${m.epoch}/${epochs}${m.phase === 'finetune' ? ' (fine-tune)' : ''}  loss ${fmt(m.loss)}  accuracy ${fmt(m.accuracy)}  ` +
    `val_loss ${fmt(m.val_loss)}  val_accuracy ${fmt(m.val_accuracy)}  ${Math.round(m.duration_ms)} ms  ${fmt(m.images_per_sec, 0)} img/s`
  );
}

/** `hz train`: trains one model locally, without the platform (no API, no queue). */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train one zoo model locally and print per-epoch metrics (Keras names) and the test result')
    .requiredOption('--arch <arch>', ARCHITECTURES.join(' | '))
    .option('--dataset <name>', DATASETS.join(' | '), 'fashion-mnist')
    .option('--epochs <n>', 'epochs (default 30)')
    .option('--subset <n>', 'training images per class (default: all)')
    .option('--batch <n>', 'batch size (default 32)')
    .option('--backend <name>', ZBackendPreference.options.join(' | '), 'auto')
    .option('--activation <name>', ACTIVATIONS.join(' | '))
    .option('--optimizer <name>', OPTIMIZERS.join(' | '))
    .option('--lr <rate>', 'learning rate (default 0.001)')
    .option('--momentum <m>', 'sgd / rmsprop momentum')
    .option('--patience <n>', 'early stopping on --monitor with this patience (default: no early stopping)')
    .option('--monitor <metric>', `${MONITORS.join(' | ')} (default val_loss)`)
    .option('--restore-best', 'early stopping: restore the best epoch\'s weights at the end')
    .option('--dropout <rate>', 'dropout rate')
    .option('--seed <n>', 'seed of initial weights, shuffles and data selection (default 42)')
    .option('--validation-size <n>', 'images held out for validation, or a fraction < 1 (default 5000)')
    .option('--test-per-class <n>', 'test images per class (default: the whole test split)')
    .option('--input-size <n>', 'resize images to n x n')
    .option('--channels <n>', '1 or 3')
    .option('--folder <path>', 'image-folder data sets: folder under --data-root')
    .option('--data-root <dir>', 'image-folder data sets: root folder')
    .option('--cache-dir <dir>', 'IDX download cache')
    .option('--idx-dir <dir>', 'folder with the four IDX files')
    .option('--checkpoint-dir <dir>', 'write checkpoints (and the final model) here')
    .option('--checkpoint-every <k>', 'checkpoint every k epochs (default 1; 0: only the best)')
    .option('--resume <dir>', 'resume from a checkpoint (or a checkpoint dir\'s newest)')
    .option('--json', 'one JSON line per epoch, then one with the final result')
    .action(async (flags: TrainFlags) => {
      let parsed: ReturnType<typeof parseTrainFlags>;
      try {
        parsed = parseTrainFlags(flags);
      } catch (err) {
        if (err instanceof TrainUsageError) {
          console.error(`hz train: ${err.message}`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      const { config, backend } = parsed;
      const totalEpochs = config.epochs + (config.architecture === 'transfer' ? (config.transfer.fineTune?.epochs ?? 0) : 0);
      const cancel = new AbortController();
      const onSigint = () => {
        console.error('\nhz train: stopping at the next batch (Ctrl-C again to quit now)');
        if (cancel.signal.aborted) process.exit(130);
        cancel.abort();
      };
      process.on('SIGINT', onSigint);
      const bar = flags.json
        ? null
        : new SingleBar({ format: 'epoch {epoch} [{bar}] {value}/{total} batches  loss {loss}', stream: process.stderr, hideCursor: true, clearOnComplete: true });
      let barEpoch = 0;
      try {
        const result = await runTraining(
          config,
          {
            signal: cancel.signal,
            checkpointDir: flags.checkpointDir,
            resumeFrom: flags.resume ?? null,
            log: (msg) => {
              if (!flags.json) console.error(msg);
            },
            onBatchEnd: (p) => {
              if (!bar) return;
              if (p.epoch !== barEpoch) {
                barEpoch = p.epoch;
                bar.start(p.batches ?? 0, 0, { epoch: `${p.epoch}/${totalEpochs}`, loss: fmt(p.loss) });
              }
              bar.update(p.batch, { loss: fmt(p.loss) });
            },
            onEpochEnd: (m) => {
              if (flags.json) console.log(JSON.stringify(m));
              else {
                bar?.stop();
                console.log(describeEpoch(m, totalEpochs));
              }
            },
          },
          { backend, dataRoot: flags.dataRoot, dataCacheDir: flags.cacheDir, idxDir: flags.idxDir },
        );
        bar?.stop();
        const { provenance: _provenance, ...summary } = result;
        if (flags.json) console.log(JSON.stringify(summary));
        else {
          console.log(
            `${result.status}: test_loss ${fmt(result.testLoss)}  test_accuracy ${fmt(result.testAccuracy)}  best epoch ${result.bestEpoch ?? '-'}  ` +
              `early stop ${result.stoppedEpoch ?? '-'}  params ${result.paramCount ?? '-'}  backend ${result.backend ?? '-'} (${result.device ?? '-'})`,
          );
          if (result.error) console.error(`error: ${result.error}`);
        }
        process.exitCode = result.status === 'succeeded' ? 0 : result.status === 'cancelled' ? 130 : 1;
      } finally {
        bar?.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
