import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

import sharp from 'sharp';

import { NPM_SPLIT_SEED } from './npm-source';
import { assertInside } from './safe-path';
import { gather, takeSample } from './split';
import type { ImageSet, RawDataset } from './types';

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;
/** Used when an image folder has no train/test sub-folders: this fraction of each class becomes the test split. */
const IMAGE_FOLDER_TEST_FRACTION = 0.2;
/** Stored size when neither the config nor the images agree on one. */
const IMAGE_FOLDER_DEFAULT_SIZE = 224;

export type UnreadablePolicy = 'fail' | 'skip';

class ImageFolderError extends Error {
  override name = 'ImageFolderError';
}

export interface ImageFolderOptions {
  /** Every image is resized to size x size (bilinear) when decoded; null = the first image's size if square, else 224. */
  size?: number | null;
  /** Stored channels; null = 3 (RGB). Grey files are expanded, colour files converted to grey for 1. */
  channels?: 1 | 3 | null;
  onUnreadable?: UnreadablePolicy;
}

export interface ImageFolderResult {
  dataset: RawDataset;
  skipped: Array<{ file: string; error: string }>;
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const dirs: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(join(dir, e.name))).isDirectory());
    if (isDir) dirs.push(e.name);
  }
  return dirs.sort();
}

async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => !e.name.startsWith('.') && (IMAGE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase()))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Decodes PNG or JPEG bytes to size x size x channels uint8 (bilinear resize when needed), as image folders are read. */
export async function decodeImageBytes(bytes: Uint8Array, size: number, channels: 1 | 3): Promise<Uint8Array> {
  let pipeline = sharp(bytes, { failOn: 'error' }).removeAlpha();
  pipeline = pipeline.resize(size, size, { fit: 'fill', kernel: 'linear' });
  pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  // A grey source stays 1 channel through sharp unless asked otherwise: expand here.
  if (info.channels === channels) return new Uint8Array(data.buffer, data.byteOffset, data.length);
  if (info.channels === 1 && channels === 3) {
    const out = new Uint8Array(size * size * 3);
    for (let i = 0; i < size * size; i++) out.fill(data[i] as number, i * 3, i * 3 + 3);
    return out;
  }
  throw new Error(`decoded to ${info.channels} channels, expected ${channels}`);
}

async function decodeImage(file: string, size: number, channels: 1 | 3): Promise<Uint8Array> {
  return decodeImageBytes(await readFile(file), size, channels);
}

async function readClassFolders(
  realRoot: string,
  dir: string,
  classNames: string[],
  size: number,
  channels: 1 | 3,
  policy: UnreadablePolicy,
  skipped: ImageFolderResult['skipped'],
): Promise<ImageSet> {
  const files: Array<{ file: string; label: number }> = [];
  for (const [label, name] of classNames.entries()) {
    const classDir = join(dir, name);
    // A test split may lack a class; train class folders come from listing, so they exist.
    if (!existsSync(classDir)) continue;
    for (const file of await listImages(classDir)) files.push({ file, label });
  }
  const pixels = size * size * channels;
  const images = new Uint8Array(files.length * pixels);
  const labels = new Uint8Array(files.length);
  let count = 0;
  for (const { file, label } of files) {
    try {
      await assertInside(realRoot, file);
      images.set(await decodeImage(file, size, channels), count * pixels);
      labels[count++] = label;
    } catch (err) {
      const error = (err as Error).message;
      if (policy === 'fail') throw new ImageFolderError(`${file}: unreadable image: ${error}`);
      skipped.push({ file, error });
    }
  }
  return { images: images.slice(0, count * pixels), labels: labels.slice(0, count), count, height: size, width: size, channels };
}

/**
 * Loads `root` laid out as `<class>/<image>` (a seeded stratified 80/20 train/test split is derived) or as
 * `train/<class>/<image>` + `test/<class>/<image>`. Class ids follow the sorted folder names.
 */
export async function loadImageFolder(root: string, opts: ImageFolderOptions = {}): Promise<ImageFolderResult> {
  const policy = opts.onUnreadable ?? 'fail';
  const channels = opts.channels ?? 3;
  let top: string[];
  try {
    top = await listDirs(root);
  } catch (err) {
    throw new ImageFolderError(`${root}: cannot read the image folder: ${(err as Error).message}`);
  }
  const hasSplits = top.includes('train') && top.includes('test');
  const classRoot = hasSplits ? join(root, 'train') : root;
  const classNames = await listDirs(classRoot);
  if (classNames.length === 0) throw new ImageFolderError(`${classRoot}: no class sub-folders (expected one folder per class)`);
  if (classNames.length > 256) throw new ImageFolderError(`${classRoot}: ${classNames.length} classes, at most 256 are supported`);
  const firstFile = (await listImages(join(classRoot, classNames[0] as string)))[0];
  let size = opts.size ?? null;
  if (size == null && firstFile) {
    const meta = await sharp(firstFile).metadata().catch(() => null);
    size = meta?.width && meta.width === meta.height ? meta.width : IMAGE_FOLDER_DEFAULT_SIZE;
  }
  size ??= IMAGE_FOLDER_DEFAULT_SIZE;

  const skipped: ImageFolderResult['skipped'] = [];
  let train = await readClassFolders(root, classRoot, classNames, size, channels, policy, skipped);
  let test: ImageSet;
  if (hasSplits) {
    const testClasses = await listDirs(join(root, 'test'));
    const extra = testClasses.filter((c) => !classNames.includes(c));
    if (extra.length > 0) throw new ImageFolderError(`${join(root, 'test')}: classes not in train: ${extra.join(', ')}`);
    test = await readClassFolders(root, join(root, 'test'), classNames, size, channels, policy, skipped);
  } else {
    const { taken, rest } = takeSample(train.labels, classNames.length, Math.round(train.count * IMAGE_FOLDER_TEST_FRACTION), NPM_SPLIT_SEED);
    test = gather(train, taken);
    train = gather(train, rest);
  }
  if (train.count === 0) throw new ImageFolderError(`${classRoot}: no readable PNG or JPEG images`);
  return {
    dataset: { name: 'image-folder', classNames, train, test, source: 'image-folder', version: null, splitSeed: hasSplits ? null : NPM_SPLIT_SEED },
    skipped,
  };
}
