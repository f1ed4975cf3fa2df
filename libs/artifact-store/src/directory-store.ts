import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

import { createVerifier } from './store';
import type { ArtifactStore, TPutExpectation } from './store';

/** Artifacts as files under one directory on the API host (the default store). */
export class DirectoryStore implements ArtifactStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Keys come from artifactKey; this only guards against one that would leave the root. */
  private fileOf(key: string): string {
    const file = path.resolve(this.root, key);
    if (!file.startsWith(this.root + path.sep)) throw new Error(`artifact key ${JSON.stringify(key)} leaves the store`);
    return file;
  }

  async put(key: string, body: Readable, expect: TPutExpectation): Promise<void> {
    const file = this.fileOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Written next to its final name and renamed: a reader sees the old file or the new one.
    const tmp = `${file}.upload-${randomBytes(6).toString('hex')}`;
    try {
      await pipeline(body, createVerifier(expect), createWriteStream(tmp, { flags: 'wx' }));
      const handle = await open(tmp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async copy(from: string, to: string): Promise<void> {
    const src = this.fileOf(from);
    const file = this.fileOf(to);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.copy-${randomBytes(6).toString('hex')}`;
    try {
      // A hard link: put never writes into an existing file (it renames a new one over it), so the
      // two names stay independent. A file system without hard links gets a real copy.
      await link(src, tmp).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPERM' && err.code !== 'EXDEV' && err.code !== 'ENOTSUP') throw err;
        await copyFile(src, tmp);
      });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<{ body: Readable; bytes: number } | null> {
    const file = this.fileOf(key);
    try {
      const { size } = await stat(file);
      return { body: createReadStream(file), bytes: size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
