import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import tar from 'tar-stream';

/** A checkpoint or model holds a few flat files (model.json, weights.bin, ...): nothing else is packed or unpacked. */
const FILE_NAME = /^[\w-]+\.(json|bin)$/;
const MAX_FILES = 32;

/**
 * Packs the flat files of `dir` into a tar in memory (the bytes of packDir, as the list of its
 * pieces: headers, each file read once, padding), with its SHA-256. For artifacts of a few MB: no
 * temporary file written and read back before an upload, and no copy of the files' bytes (each
 * copy of a checkpoint is megabytes of Buffers, which cost the worker a full GC a run).
 */
export async function packDirToChunks(dir: string): Promise<{ chunks: Buffer[]; bytes: number; sha256: string }> {
  const names = await packableNames(dir);
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  // Flowing mode hands over each piece as pushed; read() would join the buffered ones into a copy.
  pack.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.once('end', resolve);
    pack.once('error', reject);
  });
  ended.catch(() => undefined);
  try {
    for (const name of names) {
      const body = await readFile(path.join(dir, name));
      await new Promise<void>((resolve, reject) => {
        pack.entry({ name, size: body.byteLength, mode: 0o644, mtime: new Date(0), type: 'file' }, body, (err) => (err ? reject(err) : resolve()));
      });
    }
    pack.finalize();
    await ended;
  } catch (err) {
    pack.destroy();
    throw err;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { chunks, bytes, sha256: hash.digest('hex') };
}

/** The sum of the sizes of the files packDir would pack (the tar adds headers and padding). */
export async function packableBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await packableNames(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

async function packableNames(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => FILE_NAME.test(n)).sort();
  if (names.length === 0) throw new Error(`${dir}: nothing to pack`);
  return names;
}

async function addEntry(pack: tar.Pack, src: string, name: string): Promise<void> {
  const { size } = await stat(src);
  await new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ name, size, mode: 0o644, mtime: new Date(0), type: 'file' }, (err) => (err ? reject(err) : resolve()));
    createReadStream(src).on('error', reject).pipe(entry);
  });
}

/**
 * Packs the flat files of `dir` into a tar file at `out` (names sorted, fixed mtime and mode, so
 * the same files give the same bytes) and returns its size and SHA-256.
 */
export async function packDir(dir: string, out: string): Promise<{ bytes: number; sha256: string }> {
  const names = await packableNames(dir);
  const pack = tar.pack();
  const file = createWriteStream(out, { flags: 'w' });
  file.on('error', (err) => pack.destroy(err));
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      if (!file.write(chunk)) await once(file, 'drain');
    }
    file.end();
    await finished(file);
  })();
  // Awaited below; marked handled now, since it can fail while an entry is still being added.
  sink.catch(() => undefined);
  try {
    for (const name of names) await addEntry(pack, path.join(dir, name), name);
    pack.finalize();
    await sink;
  } catch (err) {
    pack.destroy();
    await sink.catch(() => undefined);
    file.destroy();
    await rm(out, { force: true });
    throw err;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Unpacks a tar stream into `dest` while hashing it; the directory appears (renamed into place)
 * only when every entry is a plain file with an allowed name and the SHA-256 matches `sha256`.
 * Names are never joined as paths: an entry like `../x` or `a/b.json` is refused.
 */
export async function unpackTo(body: Readable, dest: string, sha256: string): Promise<void> {
  const tmp = path.join(path.dirname(dest), `.tmp-${path.basename(dest)}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  const hash = createHash('sha256');
  const extract = tar.extract();
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  body.on('error', (err) => extract.destroy(err));
  body.pipe(extract);
  try {
    let count = 0;
    for await (const entry of extract) {
      const { name, type } = entry.header;
      if (type !== 'file' || !FILE_NAME.test(name)) throw new Error(`artifact holds an unexpected entry ${JSON.stringify(name)} (${type})`);
      if (++count > MAX_FILES) throw new Error(`artifact holds more than ${MAX_FILES} files`);
      const out = createWriteStream(path.join(tmp, name), { flags: 'wx' });
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    }
    if (!body.readableEnded) await finished(body);
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new Error(`artifact sha256 mismatch: expected ${sha256}, received ${actual}`);
    if (count === 0) throw new Error('artifact is empty');
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  } catch (err) {
    body.destroy();
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
