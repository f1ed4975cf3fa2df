import type { TDataConfig } from '@hyperzoo/schemas';

import { loadRawDataset, resolveValidationCount, selectSplits, type LoadDatasetOptions } from './load-dataset';
import { countPerClass } from './split';
import type { LoadedDataset, TDataProvenance } from './types';

export interface DatasetSummary {
  dataset: string;
  source: TDataProvenance['source'];
  version: string | null;
  splitSeed: number | null;
  contentHash: string;
  /** Image count per split; validation only when there is one. */
  splits: { train: number; validation?: number; test: number };
  classes: Array<{ id: number; name: string; train: number; validation?: number; test: number }>;
  shape: { height: number; width: number; channels: number };
  warnings: string[];
}

/** Counts per split and per class, and where the data came from (what `hz data info` prints). */
export function summarizeDataset(d: LoadedDataset): DatasetSummary {
  const k = d.classNames.length;
  const train = countPerClass(d.train.labels, k);
  const test = countPerClass(d.test.labels, k);
  const validation = d.validation ? countPerClass(d.validation.labels, k) : null;
  return {
    dataset: d.name,
    source: d.provenance.source,
    version: d.provenance.version,
    splitSeed: d.provenance.splitSeed,
    contentHash: d.provenance.contentHash,
    splits: { train: d.train.count, ...(d.validation ? { validation: d.validation.count } : {}), test: d.test.count },
    classes: d.classNames.map((name, id) => ({
      id,
      name,
      train: train[id] ?? 0,
      ...(validation ? { validation: validation[id] ?? 0 } : {}),
      test: test[id] ?? 0,
    })),
    shape: { height: d.train.height, width: d.train.width, channels: d.train.channels },
    warnings: d.warnings,
  };
}

export interface DescribeDatasetOptions extends LoadDatasetOptions {
  /**
   * A validation hold-out that would leave no training image (the runs' default of 5,000 on a
   * small IDX set) is described as none, with a warning, instead of failing as a run would.
   */
  fitValidation?: boolean;
}

/** Loads and summarizes a data set as a run with `config` would see it (what `hz data info` prints). */
export async function describeDataset(config: TDataConfig, opts: DescribeDatasetOptions): Promise<DatasetSummary> {
  const { raw, warnings } = await loadRawDataset(config, opts);
  const subsetTotal = config.subsetPerClass == null ? null : config.subsetPerClass * raw.classNames.length;
  const nVal = resolveValidationCount(config.validationSize, raw.train.count, subsetTotal);
  let data = config;
  if (opts.fitValidation && nVal > 0 && nVal >= raw.train.count) {
    warnings.push(`a validation hold-out of ${nVal} does not fit the ${raw.train.count} training images; none shown (a run needs a smaller validationSize)`);
    data = { ...config, validationSize: 0 };
  }
  const loaded = selectSplits(raw, data, opts.seed, opts.stratifyValidation ?? true);
  loaded.warnings.push(...(raw.warnings ?? []), ...warnings);
  return summarizeDataset(loaded);
}
