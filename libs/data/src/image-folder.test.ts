import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ZDataConfig } from '@hyperzoo/schemas';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadImageFolder } from './image-folder';
import { loadDataset } from './load-dataset';
import { resolveInside } from './safe-path';
import { countPerClass } from './split';
import { makeTempDir } from './test-utils/fixtures';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

/** A solid-colour image file written with sharp. */
async function writeImage(file: string, format: 'png' | 'jpeg', size: [number, number], rgb: [number, number, number], grey = false) {
  mkdirSync(join(file, '..'), { recursive: true });
  const img = sharp({ create: { width: size[0], height: size[1], channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  const out = grey ? img.grayscale() : img;
  await (format === 'png' ? out.png() : out.jpeg({ quality: 95 })).toFile(file);
}

/** cats: red PNGs and JPEGs of mixed sizes; dogs: blue, one grey PNG. */
async function writeCatsAndDogs(root: string, perClass = 5) {
  for (let i = 0; i < perClass; i++) {
    await writeImage(join(root, 'cats', `c${i}.${i % 2 ? 'jpg' : 'png'}`), i % 2 ? 'jpeg' : 'png', [16 + i, 12], [200, 10, 10]);
    await writeImage(join(root, 'dogs', `d${i}.${i % 2 ? 'jpeg' : 'PNG'}`), i % 2 ? 'jpeg' : 'png', [20, 20], [10, 10, 200], i === 0);
  }
}

describe('loadImageFolder', () => {
  it('decodes PNG and JPEG, resizes to one size, derives a stratified test split', async () => {
    await writeCatsAndDogs(tmp.dir);
    writeFileSync(join(tmp.dir, 'cats', 'notes.txt'), 'not an image');
    const { dataset, skipped } = await loadImageFolder(tmp.dir, { size: 8 });
    expect(skipped).toEqual([]);
    expect(dataset.classNames).toEqual(['cats', 'dogs']);
    expect(dataset.train).toMatchObject({ count: 8, height: 8, width: 8, channels: 3 });
    expect(countPerClass(dataset.test.labels, 2)).toEqual([1, 1]);
    // A red cat: R high, B low, at every pixel, PNG or JPEG.
    const cat = dataset.train.labels.indexOf(0);
    const px = dataset.train.images.subarray(cat * 192, cat * 192 + 3);
    expect(px[0]).toBeGreaterThan(180);
    expect(px[2]).toBeLessThan(40);
  });

  it('keeps the images\' own size when square and equal, and stores grey on request', async () => {
    await writeImage(join(tmp.dir, 'train', 'a', '1.png'), 'png', [10, 10], [90, 90, 90]);
    await writeImage(join(tmp.dir, 'train', 'b', '1.png'), 'png', [10, 10], [30, 30, 30]);
    await writeImage(join(tmp.dir, 'test', 'a', '1.jpg'), 'jpeg', [10, 10], [90, 90, 90]);
    const { dataset } = await loadImageFolder(tmp.dir, { channels: 1 });
    expect(dataset.train).toMatchObject({ count: 2, height: 10, width: 10, channels: 1 });
    expect(dataset.test.count).toBe(1);
    expect(dataset.splitSeed).toBeNull();
    expect(Math.abs((dataset.test.images[0] as number) - 90)).toBeLessThan(4);
  });

  it('reports an unreadable file with its path, or skips and counts it', async () => {
    await writeCatsAndDogs(tmp.dir, 3);
    const bad = join(tmp.dir, 'dogs', 'broken.jpg');
    writeFileSync(bad, Buffer.from('definitely not a jpeg'));
    await expect(loadImageFolder(tmp.dir, { size: 8 })).rejects.toThrow(new RegExp(`${bad}: unreadable image`));
    const { dataset, skipped } = await loadImageFolder(tmp.dir, { size: 8, onUnreadable: 'skip' });
    expect(skipped.map((s) => s.file)).toEqual([bad]);
    expect(dataset.train.count + dataset.test.count).toBe(6);
  });

  it('fails clearly on an empty folder, a folder without images and a missing folder', async () => {
    await expect(loadImageFolder(tmp.dir)).rejects.toThrow(new RegExp(`${tmp.dir}: no class sub-folders`));
    mkdirSync(join(tmp.dir, 'cats'));
    await expect(loadImageFolder(tmp.dir)).rejects.toThrow(/no readable PNG or JPEG images/);
    await expect(loadImageFolder(join(tmp.dir, 'nope'))).rejects.toThrow(/nope: cannot read the image folder/);
  });
});

describe('image folders through loadDataset, inside the data root only', () => {
  it('loads a folder under the data root with provenance', async () => {
    await writeCatsAndDogs(join(tmp.dir, 'root', 'pets'), 6);
    const d = await loadDataset(ZDataConfig.parse({ dataset: 'image-folder', folder: 'pets', inputSize: 8, validationSize: 2 }), {
      seed: 1,
      dataRoot: join(tmp.dir, 'root'),
    });
    expect(d.provenance).toMatchObject({ dataset: 'image-folder', source: 'image-folder', version: null, counts: { train: 8, validation: 2, test: 2 } });
    expect(d.classNames).toEqual(['cats', 'dogs']);
  });

  it('records skipped unreadable files as a warning on every load', async () => {
    const root = join(tmp.dir, 'root');
    await writeCatsAndDogs(join(root, 'pets'), 4);
    writeFileSync(join(root, 'pets', 'cats', 'bad.png'), 'nope');
    const cfg = ZDataConfig.parse({ dataset: 'image-folder', folder: 'pets', inputSize: 8, validationSize: 1 });
    for (let i = 0; i < 2; i++) {
      const d = await loadDataset(cfg, { seed: 1, dataRoot: root, onUnreadable: 'skip' });
      expect(d.warnings).toEqual([expect.stringMatching(/^1 unreadable files skipped, first: .*pets\/cats\/bad\.png/)]);
    }
  });

  it('rejects ../ escapes, absolute paths and symlinks that leave the root', async () => {
    const root = join(tmp.dir, 'root');
    await writeCatsAndDogs(join(tmp.dir, 'outside'), 2);
    mkdirSync(join(root, 'inner'), { recursive: true });
    symlinkSync(join(tmp.dir, 'outside'), join(root, 'link'));
    symlinkSync(join(tmp.dir, 'outside', 'cats'), join(root, 'inner', 'cats'));
    await expect(resolveInside(root, '../outside')).rejects.toThrow(/leaves the data root/);
    await expect(resolveInside(root, 'inner/../../outside')).rejects.toThrow(/leaves the data root/);
    await expect(resolveInside(root, join(tmp.dir, 'outside'))).rejects.toThrow(/must be a path relative to the data root/);
    await expect(resolveInside(root, 'link')).rejects.toThrow(/resolves through a symlink to .*outside, outside the data root/);
    await expect(resolveInside(root, 'inner')).resolves.toMatch(/root\/inner$/);
    const viaLink = ZDataConfig.parse({ dataset: 'image-folder', folder: 'link', inputSize: 8, validationSize: 1 });
    await expect(loadDataset(viaLink, { seed: 1, dataRoot: root })).rejects.toThrow(/outside the data root/);
    // The schema refuses ".." parts; the resolver still guards a config that skipped it.
    expect(ZDataConfig.safeParse({ dataset: 'image-folder', folder: '../outside' }).success).toBe(false);
    const viaDots = { ...viaLink, folder: '../outside' };
    await expect(loadDataset(viaDots, { seed: 1, dataRoot: root })).rejects.toThrow(/leaves the data root/);
    // A class folder inside the root that links outside: its files are refused too.
    await writeImage(join(root, 'inner', 'dogs', 'd.png'), 'png', [8, 8], [1, 2, 3]);
    await expect(loadImageFolder(join(root, 'inner'), { size: 8 })).rejects.toThrow(/resolves through a symlink to .*outside/);
  });
});
