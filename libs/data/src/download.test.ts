import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ChecksumError, DownloadError, downloadFile, ensureIdxFiles } from './download';
import { readIdxFolder } from './load-dataset';
import { FASHION_MNIST_IDX, type IdxDatasetSpec } from './sources';
import { makeTempDir, writeIdxSet } from './test-utils/fixtures';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A real HTTP server on 127.0.0.1 serving `files`; `plan` can fail or truncate the first requests of a path. */
interface TestServer {
  url: string;
  requests: string[];
  plan: Map<string, Array<'500' | 'truncate' | 'ok'>>;
  close: () => Promise<void>;
}

async function startServer(files: Record<string, Uint8Array>): Promise<TestServer> {
  const requests: string[] = [];
  const plan = new Map<string, Array<'500' | 'truncate' | 'ok'>>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/+/, '');
    requests.push(path);
    const step = plan.get(path)?.shift() ?? 'ok';
    const body = files[path];
    if (!body) return void res.writeHead(404).end('not found');
    if (step === '500') return void res.writeHead(500).end('boom');
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    if (step === 'truncate') {
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      res.socket?.destroy();
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    plan,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let tmp: ReturnType<typeof makeTempDir>;
let src: ReturnType<typeof makeTempDir>;
let files: Record<string, Uint8Array>;
let server: TestServer;

beforeEach(async () => {
  tmp = makeTempDir();
  src = makeTempDir();
  files = writeIdxSet(src.dir, { train: 40, test: 20, size: 6 });
  server = await startServer(files);
});
afterEach(async () => {
  await server.close();
  tmp.cleanup();
  src.cleanup();
});

const FILE = 'train-images-idx3-ubyte.gz';
const fast = { retries: 3, backoffMs: 5 };

describe('downloadFile', () => {
  it('downloads and verifies', async () => {
    const dest = join(tmp.dir, 'sub', FILE);
    await downloadFile([`${server.url}${FILE}`], dest, { sha256: sha256(files[FILE] as Uint8Array), ...fast });
    expect(readFileSync(dest).equals(Buffer.from(files[FILE] as Uint8Array))).toBe(true);
    expect(readdirSync(join(tmp.dir, 'sub'))).toEqual([FILE]);
  });

  it('retries after server errors and cut connections, with backoff', async () => {
    server.plan.set(FILE, ['500', 'truncate']);
    const dest = join(tmp.dir, FILE);
    const events: string[] = [];
    const started = Date.now();
    await downloadFile([`${server.url}${FILE}`], dest, {
      sha256: sha256(files[FILE] as Uint8Array),
      retries: 3,
      backoffMs: 50,
      onProgress: (e) => events.push(`${e.attempt}:${e.error}`),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(50 + 100);
    expect(server.requests.filter((r) => r === FILE)).toHaveLength(3);
    expect(events[0]).toMatch(/^1:.*HTTP 500/);
    expect(readFileSync(dest).equals(Buffer.from(files[FILE] as Uint8Array))).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual([FILE]);
  });

  it('falls back to the next mirror', async () => {
    const dest = join(tmp.dir, FILE);
    await downloadFile([`${server.url}missing/${FILE}`, `${server.url}${FILE}`], dest, { sha256: sha256(files[FILE] as Uint8Array), ...fast });
    expect(server.requests.filter((r) => r.startsWith('missing/'))).toHaveLength(3);
    expect(existsSync(dest)).toBe(true);
  });

  it('on a checksum mismatch leaves nothing behind and names the file', async () => {
    const dest = join(tmp.dir, FILE);
    const wrong = '0'.repeat(64);
    const err = await downloadFile([`${server.url}${FILE}`], dest, { sha256: wrong, ...fast }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(new RegExp(`${FILE}: sha256 mismatch, expected 0{64}, got ${sha256(files[FILE] as Uint8Array)}`));
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('leaves nothing behind when every attempt is cut short', async () => {
    server.plan.set(FILE, ['truncate', 'truncate', 'truncate']);
    const dest = join(tmp.dir, FILE);
    await expect(downloadFile([`${server.url}${FILE}`], dest, { sha256: sha256(files[FILE] as Uint8Array), ...fast })).rejects.toThrow(
      /could not download/,
    );
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('ChecksumError carries both hashes', () => {
    const e = new ChecksumError('f', 'a', 'b');
    expect([e.file, e.expected, e.actual]).toEqual(['f', 'a', 'b']);
  });
});

describe('ensureIdxFiles', () => {
  const specFor = (): IdxDatasetSpec => ({
    ...FASHION_MNIST_IDX,
    version: 'test-release',
    mirrors: [server.url],
    files: FASHION_MNIST_IDX.files.map((f) => ({ ...f, bytes: (files[f.file] as Uint8Array).length, sha256: sha256(files[f.file] as Uint8Array) })),
  });

  it('downloads the four files into the cache once, then reads them as a verified release', async () => {
    const spec = specFor();
    const dir = await ensureIdxFiles(spec, tmp.dir, { download: true, ...fast });
    expect(dir).toBe(join(tmp.dir, 'fashion-mnist'));
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort());
    const before = server.requests.length;
    await ensureIdxFiles(spec, tmp.dir, { download: true, ...fast });
    expect(server.requests.length).toBe(before);
    const raw = await readIdxFolder(spec, dir);
    expect(raw).toMatchObject({ source: 'idx', version: 'test-release', splitSeed: null });
    expect([raw.train.count, raw.test.count]).toEqual([40, 20]);
  });

  it('refuses unverified files when downloading is off', async () => {
    await expect(ensureIdxFiles(specFor(), tmp.dir, { download: false })).rejects.toThrow(/train-images-idx3-ubyte\.gz: missing, and downloading is off/);
  });

  it('the published checksums reject these test files', async () => {
    await expect(ensureIdxFiles({ ...FASHION_MNIST_IDX, mirrors: [server.url] }, tmp.dir, { download: true, ...fast })).rejects.toThrow(
      /sha256 mismatch, expected 3aede38d/,
    );
    expect(readdirSync(join(tmp.dir, 'fashion-mnist'))).toEqual([]);
  });
});
