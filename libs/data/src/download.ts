import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { IdxDatasetSpec, IdxFileSpec } from './sources';

export class ChecksumError extends Error {
  override name = 'ChecksumError';
  constructor(readonly file: string, readonly expected: string, readonly actual: string) {
    super(`${file}: sha256 mismatch, expected ${expected}, got ${actual}`);
  }
}

export class DownloadError extends Error {
  override name = 'DownloadError';
}

/** sha256 (hex) of a file, streamed. */
export async function hashFile(file: string, algorithm: 'sha256' | 'md5' = 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export interface DownloadOptions {
  /** Expected sha256 (hex) of the whole file; the file is only moved into place when it matches. */
  sha256: string;
  /** Attempts per URL (default 3). */
  retries?: number;
  /** First backoff delay in ms, doubled each attempt (default 500). */
  backoffMs?: number;
  /** Per-attempt timeout in ms (default 120,000). */
  timeoutMs?: number;
  onProgress?: (info: { url: string; attempt: number; error?: string }) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One attempt: stream to a temp file next to `dest`, hash while writing, rename only when the hash matches. */
async function downloadOnce(url: string, dest: string, opts: DownloadOptions): Promise<void> {
  const tmp = join(dirname(dest), `.${randomUUID()}.part`);
  try {
    const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
    if (!response.ok || !response.body) throw new DownloadError(`${url}: HTTP ${response.status} ${response.statusText}`);
    const hash = createHash('sha256');
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
    const actual = hash.digest('hex');
    if (actual !== opts.sha256) throw new ChecksumError(url, opts.sha256, actual);
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Downloads the first URL that works to `dest` (https; http is accepted for local mirrors), with retries and
 * exponential backoff per URL. `dest` only ever appears complete and verified: a failed or partial download
 * leaves nothing behind.
 */
export async function downloadFile(urls: readonly string[], dest: string, opts: DownloadOptions): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const retries = opts.retries ?? 3;
  const errors: string[] = [];
  for (const url of urls) {
    for (let attempt = 1; attempt <= retries; attempt++) {
      try {
        await downloadOnce(url, dest, opts);
        return;
      } catch (err) {
        const message = (err as Error).message;
        errors.push(`${url} (attempt ${attempt}): ${message}`);
        opts.onProgress?.({ url, attempt, error: message });
        if (attempt < retries) await sleep((opts.backoffMs ?? 500) * 2 ** (attempt - 1));
      }
    }
  }
  throw new DownloadError(`could not download ${dest}:\n  ${errors.join('\n  ')}`);
}

/** 'ok' when `file` exists with the expected sha256, else what is wrong with it. */
async function checkFile(file: string, spec: Pick<IdxFileSpec, 'sha256'>): Promise<string> {
  try {
    await stat(file);
  } catch {
    return 'missing';
  }
  const actual = await hashFile(file);
  return actual === spec.sha256 ? 'ok' : `sha256 ${actual}, expected ${spec.sha256}`;
}

/**
 * Makes sure the four IDX files of a data set are in `cacheDir/<name>/`, verified against their published sha256,
 * downloading what is missing (or wrong) from the mirrors. Returns the folder.
 */
export async function ensureIdxFiles(
  spec: IdxDatasetSpec,
  cacheDir: string,
  opts: { download: boolean; mirrors?: readonly string[]; retries?: number; backoffMs?: number; onProgress?: DownloadOptions['onProgress'] },
): Promise<string> {
  const dir = join(cacheDir, spec.name);
  for (const file of spec.files) {
    const dest = join(dir, file.file);
    const state = await checkFile(dest, file);
    if (state === 'ok') continue;
    if (!opts.download) throw new DownloadError(`${dest}: ${state}, and downloading is off`);
    const mirrors = opts.mirrors ?? spec.mirrors;
    await downloadFile(mirrors.map((m) => `${m}${file.file}`), dest, { sha256: file.sha256, retries: opts.retries, backoffMs: opts.backoffMs, onProgress: opts.onProgress });
  }
  return dir;
}
