import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { encodeIdx, parseIdx, readIdxFile, readIdxImageSet } from './idx';
import { makeImages, makeTempDir, writeIdxSet } from './test-utils/fixtures';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

describe('parseIdx', () => {
  it('reads the header and the payload', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const idx = parseIdx(encodeIdx([2, 3, 4], data), 'x.idx');
    expect(idx.dtype).toBe('ubyte');
    expect(idx.dims).toEqual([2, 3, 4]);
    expect(Array.from(idx.data)).toEqual(Array.from(data));
  });

  it('rejects a wrong magic number, naming the file', () => {
    const bytes = encodeIdx([2], new Uint8Array(2));
    bytes[0] = 0x42;
    expect(() => parseIdx(bytes, 'bad-magic.idx')).toThrow(/bad-magic\.idx: wrong magic number 0x42000801/);
  });

  it('rejects an unknown type code', () => {
    expect(() => parseIdx(encodeIdx([2], new Uint8Array(2), 0x07), 'f.idx')).toThrow(/f\.idx: unknown IDX type code 0x7/);
  });

  it('rejects dimensions that disagree with the data size', () => {
    const short = encodeIdx([10, 28, 28], new Uint8Array(9 * 28 * 28));
    expect(() => parseIdx(short, 'short.idx')).toThrow(/short\.idx: dimensions \[10, 28, 28\] of ubyte need 7840 data bytes, file has 7056/);
    const long = encodeIdx([2], new Uint8Array(3));
    expect(() => parseIdx(long, 'long.idx')).toThrow(/need 2 data bytes, file has 3/);
  });

  it('rejects a truncated header', () => {
    expect(() => parseIdx(encodeIdx([5, 5, 5], new Uint8Array(125)).subarray(0, 10), 'h.idx')).toThrow(/h\.idx: truncated header/);
    expect(() => parseIdx(new Uint8Array([0, 0]), 'tiny.idx')).toThrow(/tiny\.idx: too short/);
  });
});

describe('readIdxFile / readIdxImageSet', () => {
  it('reads gzip and plain IDX files', () => {
    writeIdxSet(tmp.dir, { train: 30, test: 10, size: 5 });
    writeIdxSet(tmp.dir, { train: 30, test: 10, size: 5, gzip: false });
    const gz = readIdxImageSet(join(tmp.dir, 'train-images-idx3-ubyte.gz'), join(tmp.dir, 'train-labels-idx1-ubyte.gz'), 10);
    const plain = readIdxImageSet(join(tmp.dir, 'train-images-idx3-ubyte'), join(tmp.dir, 'train-labels-idx1-ubyte'), 10);
    const expected = makeImages(30, 5, 10);
    for (const set of [gz, plain]) {
      expect(set).toMatchObject({ count: 30, height: 5, width: 5, channels: 1 });
      expect(Buffer.from(set.images).equals(Buffer.from(expected.images))).toBe(true);
      expect(Array.from(set.labels)).toEqual(Array.from(expected.labels));
    }
  });

  it('fails on a truncated gzip, naming the file', () => {
    writeIdxSet(tmp.dir, { train: 30, test: 10, size: 5 });
    const file = join(tmp.dir, 'train-images-idx3-ubyte.gz');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 20));
    expect(() => readIdxFile(file)).toThrow(new RegExp(`${file}: corrupt or truncated gzip`));
  });

  it('fails when image and label counts disagree', () => {
    const images = join(tmp.dir, 'i.gz');
    const labels = join(tmp.dir, 'l.gz');
    writeFileSync(images, gzipSync(encodeIdx([4, 2, 2], new Uint8Array(16))));
    writeFileSync(labels, gzipSync(encodeIdx([3], new Uint8Array(3))));
    expect(() => readIdxImageSet(images, labels, 10)).toThrow(new RegExp(`${labels}: 3 labels but ${images} has 4 images`));
  });

  it('fails on labels outside the classes and on wrong shapes', () => {
    const images = join(tmp.dir, 'i');
    const labels = join(tmp.dir, 'l');
    writeFileSync(images, encodeIdx([2, 2, 2], new Uint8Array(8)));
    writeFileSync(labels, encodeIdx([2], new Uint8Array([1, 12])));
    expect(() => readIdxImageSet(images, labels, 10)).toThrow(/label 12 at index 1 is outside 0\.\.9/);
    writeFileSync(images, encodeIdx([2, 4], new Uint8Array(8)));
    expect(() => readIdxImageSet(images, labels, 10)).toThrow(/expected ubyte images \[N, H, W\], got ubyte \[2, 4\]/);
  });

  it('fails on a missing file with its path', () => {
    expect(() => readIdxFile(join(tmp.dir, 'nope.gz'))).toThrow(/nope\.gz: cannot read/);
  });
});
