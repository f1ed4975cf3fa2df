import { DATASETS, ZDataConfig, ZDatasetName } from '@hyperzoo/schemas';
import { describeDataset, type DatasetSummary } from '@hyperzoo/data';
import { type Command, InvalidArgumentError } from 'commander';

import { loadCliEnv } from '../env';

const parseNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative number, got "${value}"`);
  return n;
};

interface InfoOptions {
  idxDir?: string;
  cacheDir?: string;
  dataRoot?: string;
  folder?: string;
  download?: boolean;
  source: 'auto' | 'idx' | 'npm-package';
  validationSize?: number;
  seed: number;
  json?: boolean;
}

function formatSummary(s: DatasetSummary): string {
  const hasVal = s.splits.validation !== undefined;
  const lines = [
    `dataset     ${s.dataset}`,
    `source      ${s.source}${s.version ? ` (${s.version})` : ''}${s.splitSeed != null ? `, split seed ${s.splitSeed}` : ''}`,
    `images      ${s.shape.height}x${s.shape.width}x${s.shape.channels}`,
    `content     sha256 ${s.contentHash}`,
    `splits      train ${s.splits.train}${hasVal ? `, validation ${s.splits.validation}` : ''}, test ${s.splits.test}`,
    '',
    ['class', 'name'.padEnd(14), 'train', ...(hasVal ? ['valid'] : []), 'test'].join('  '),
    ...s.classes.map((c) =>
      [String(c.id).padStart(5), c.name.padEnd(14), String(c.train).padStart(5), ...(hasVal ? [String(c.validation).padStart(5)] : []), String(c.test).padStart(4)].join('  '),
    ),
    ...s.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n');
}

/** `hz data info <dataset>`: where the data comes from, counts per split and per class. */
export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('Data sets: sources, splits, checksums');
  data
    .command('info')
    .description('Print the source and the counts per split and per class of a data set')
    .argument('<dataset>', `one of ${DATASETS.join(', ')}`, (v: string) => {
      const parsed = ZDatasetName.safeParse(v);
      if (!parsed.success) throw new InvalidArgumentError(`unknown data set "${v}" (one of ${DATASETS.join(', ')})`);
      return parsed.data;
    })
    .option('--idx-dir <dir>', 'a folder with the four IDX files, used instead of the cache')
    .option('--cache-dir <dir>', 'download cache (default $HZ_DATA_CACHE, else $XDG_CACHE_HOME/hyperzoo or ~/.cache/hyperzoo)')
    .option('--download', 'download missing IDX files from the published mirrors (sha256-verified)')
    .option('--source <source>', 'auto | idx | npm-package', 'auto')
    .option('--data-root <dir>', 'image-folder: the root folders are resolved in')
    .option('--folder <path>', 'image-folder: the folder under the data root')
    .option('--validation-size <n>', 'held out of train: a count, or a fraction < 1 (default: a run\'s 5000 where it fits)', parseNumber)
    .option('--seed <n>', 'seed of the validation hold-out', parseNumber, 42)
    .option('--json', 'print one JSON object')
    .action(async (dataset: string, opts: InfoOptions) => {
      if (!['auto', 'idx', 'npm-package'].includes(opts.source)) throw new Error(`--source must be auto, idx or npm-package, got "${opts.source}"`);
      // --validation-size 0 shows the source's own split without a hold-out (zod wants a positive size).
      const given = opts.validationSize;
      const config = { ...ZDataConfig.parse({ dataset, folder: opts.folder }), ...(given !== undefined ? { validationSize: given } : {}) };
      const summary = await describeDataset(config, {
        seed: opts.seed,
        idxDir: opts.idxDir,
        cacheDir: opts.cacheDir ?? loadCliEnv().HZ_DATA_CACHE,
        dataRoot: opts.dataRoot,
        download: opts.download ?? false,
        source: opts.source,
        // Only the default is fitted to a small set; a size the user gave fails as a run with it would.
        fitValidation: given === undefined,
      });
      console.log(opts.json ? JSON.stringify(summary) : formatSummary(summary));
    });
}
