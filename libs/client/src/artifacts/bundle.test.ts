// Packing and unpacking on real files: same files give the same bytes; nothing but flat,
// allowed names is ever written; a wrong SHA-256 leaves nothing behind.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { packableBytes, packDir, packDirToChunks, unpackTo } from './bundle';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hz-bundle-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function checkpoint(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  await writeFile(path.join(dir, 'model.json'), '{"format":"layers-model"}');
  await writeFile(path.join(dir, 'weights.bin'), Buffer.alloc(70_000, 7));
  await writeFile(path.join(dir, 'state.json'), '{"epoch":3}');
  return dir;
}

/** A tar holding whatever entries a hostile sender chose. */
async function hostileTar(entries: { name: string; type?: 'file' | 'symlink' | 'directory'; body?: string; linkname?: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname }, e.body ?? '');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('packDir / unpackTo', () => {
  it('round-trips a checkpoint, and the same files give the same SHA-256', async () => {
    const dir = await checkpoint('epoch-0003');
    const a = await packDir(dir, path.join(root, 'a.tar'));
    const b = await packDir(dir, path.join(root, 'b.tar'));
    expect(a).toEqual(b);
    expect(sha(await readFile(path.join(root, 'a.tar')))).toBe(a.sha256);
    const dest = path.join(root, 'out');
    await unpackTo(createReadStream(path.join(root, 'a.tar')), dest, a.sha256);
    expect((await readdir(dest)).sort()).toEqual(['model.json', 'state.json', 'weights.bin']);
    expect(await readFile(path.join(dest, 'weights.bin'))).toEqual(await readFile(path.join(dir, 'weights.bin')));
  });

  it('packs in memory the very bytes it packs to a file', async () => {
    const dir = await checkpoint('epoch-0005');
    const onDisk = await packDir(dir, path.join(root, 'a.tar'));
    const inMemory = await packDirToChunks(dir);
    expect({ bytes: inMemory.bytes, sha256: inMemory.sha256 }).toEqual(onDisk);
    expect(Buffer.concat(inMemory.chunks).equals(await readFile(path.join(root, 'a.tar')))).toBe(true);
    expect(await packableBytes(dir)).toBe(70_000 + '{"format":"layers-model"}'.length + '{"epoch":3}'.length);
    await expect(packDirToChunks(path.join(root, 'missing'))).rejects.toThrow(/ENOENT/);
  });

  it('leaves nothing when the SHA-256 does not match', async () => {
    const dir = await checkpoint('epoch-0001');
    const { sha256 } = await packDir(dir, path.join(root, 'a.tar'));
    const bytes = await readFile(path.join(root, 'a.tar'));
    bytes[600] = (bytes[600] ?? 0) ^ 1;
    const dest = path.join(root, 'out');
    await expect(unpackTo(Readable.from([bytes]), dest, sha256)).rejects.toThrow(/sha256 mismatch/);
    expect((await readdir(root)).sort()).toEqual(['a.tar', 'epoch-0001']);
  });

  it.each([
    [{ name: '../escape.json' }],
    [{ name: 'sub/model.json' }],
    [{ name: '/etc/cron.json' }],
    [{ name: 'model.json', type: 'symlink' as const, linkname: '/etc/passwd' }],
    [{ name: 'run.sh' }],
  ])('refuses an entry %o and writes nothing', async (entry) => {
    const bytes = await hostileTar([{ name: 'state.json', body: '{}' }, entry]);
    const dest = path.join(root, 'out');
    await expect(unpackTo(Readable.from([bytes]), dest, sha(bytes))).rejects.toThrow(/unexpected entry/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('packDir on a directory that disappears', () => {
  it('rejects (no unhandled error) and leaves no tar behind', async () => {
    const dir = await checkpoint('epoch-0004');
    await writeFile(path.join(dir, 'weights.bin'), Buffer.alloc(4_000_000, 1));
    const out = path.join(root, 'a.tar');
    const packing = packDir(dir, out);
    await rm(path.join(dir, 'state.json'));
    await expect(packing).rejects.toThrow(/ENOENT/);
    expect(await readdir(root)).toEqual(['epoch-0004']);
  });
});
