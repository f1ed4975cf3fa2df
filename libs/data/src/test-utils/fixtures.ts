import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { encodeIdx } from '../idx';

/** A fresh temp folder and its cleanup. */
export function makeTempDir(prefix = 'hz-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Images whose pixels encode their index (pixel 0 = i % 256, pixel 1 = i >> 8), labels i % numClasses. */
export function makeImages(count: number, size: number, numClasses: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const base = i * size * size;
    for (let p = 0; p < size * size; p++) images[base + p] = (i * 7 + p * 3) % 256;
    images[base] = i % 256;
    images[base + 1] = i >> 8;
    labels[i] = i % numClasses;
  }
  return { images, labels };
}

/** Writes the four IDX .gz files of a small MNIST-like data set; returns their bytes by file name. */
export function writeIdxSet(dir: string, opts: { train: number; test: number; size?: number; numClasses?: number; gzip?: boolean }): Record<string, Uint8Array> {
  const size = opts.size ?? 28;
  const numClasses = opts.numClasses ?? 10;
  const files: Record<string, Uint8Array> = {};
  const put = (name: string, raw: Uint8Array) => {
    const bytes = opts.gzip === false ? raw : gzipSync(raw);
    const file = opts.gzip === false ? name.replace(/\.gz$/, '') : name;
    writeFileSync(join(dir, file), bytes);
    files[file] = bytes;
  };
  for (const [prefix, count] of [['train', opts.train], ['t10k', opts.test]] as const) {
    const { images, labels } = makeImages(count, size, numClasses);
    put(`${prefix}-images-idx3-ubyte.gz`, encodeIdx([count, size, size], images));
    put(`${prefix}-labels-idx1-ubyte.gz`, encodeIdx([count], labels));
  }
  return files;
}
