// Both stores on real storage: a directory, and an S3-compatible server (s3rver, started here,
// spoken to over HTTP by the official AWS SDK).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createArtifactStore, ZArtifactStoreEnv } from './config';
import { artifactKey } from './keys';
import { ArtifactRejectedError } from './store';
import type { ArtifactStore } from './store';

const body = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => i % 251));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const key = () => artifactKey({ runId: randomUUID(), kind: 'checkpoint', epoch: 3 });

async function readKey(store: ArtifactStore, k: string): Promise<Buffer> {
  const got = await store.get(k);
  if (!got) throw new Error(`${k}: nothing stored`);
  const chunks: Buffer[] = [];
  for await (const c of got.body) chunks.push(c as Buffer);
  expect(got.bytes).toBe(Buffer.concat(chunks).length);
  return Buffer.concat(chunks);
}

function storeContract(name: string, open: () => ArtifactStore) {
  describe(name, () => {
    it('keeps what it was sent and gives it back', async () => {
      const store = open();
      const data = body(300_000);
      const k = key();
      await store.put(k, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { sha256: sha(data), bytes: data.length });
      expect((await readKey(store, k)).equals(data)).toBe(true);
    });

    it('answers null for a key that holds nothing', async () => {
      expect(await open().get(key())).toBeNull();
    });

    it('refuses a body whose SHA-256 is not the announced one, and keeps nothing', async () => {
      const store = open();
      const data = body(5000);
      const tampered = Buffer.from(data);
      tampered[10] = (tampered[10] ?? 0) ^ 1;
      const k = key();
      await expect(store.put(k, Readable.from([tampered]), { sha256: sha(data), bytes: data.length })).rejects.toThrow(ArtifactRejectedError);
      expect(await store.get(k)).toBeNull();
    });

    it('refuses a body longer or shorter than announced', async () => {
      const store = open();
      const data = body(5000);
      const k = key();
      await expect(store.put(k, Readable.from([data]), { sha256: sha(data), bytes: 4000 })).rejects.toThrow(/larger than the announced/);
      await expect(store.put(k, Readable.from([data]), { sha256: sha(data), bytes: 6000 })).rejects.toThrow(/5000 bytes, 6000 were announced/);
      expect(await store.get(k)).toBeNull();
    });

    it('replaces an artifact as a whole', async () => {
      const store = open();
      const k = key();
      const [a, b] = [body(2000), body(3000)];
      await store.put(k, Readable.from([a]), { sha256: sha(a), bytes: a.length });
      await store.put(k, Readable.from([b]), { sha256: sha(b), bytes: b.length });
      expect((await readKey(store, k)).equals(b)).toBe(true);
    });

    it('copies an artifact to another key; a later put of either key leaves the other as it was', async () => {
      const store = open();
      const runId = randomUUID();
      const [ckpt, best] = [artifactKey({ runId, kind: 'checkpoint', epoch: 2 }), artifactKey({ runId, kind: 'best', epoch: null })];
      const [a, b, c] = [body(4000), body(5000).reverse(), body(6000)];
      await store.put(ckpt, Readable.from([a]), { sha256: sha(a), bytes: a.length });
      await store.copy(ckpt, best);
      expect((await readKey(store, best)).equals(a)).toBe(true);
      await store.put(ckpt, Readable.from([b]), { sha256: sha(b), bytes: b.length });
      expect((await readKey(store, best)).equals(a)).toBe(true);
      await store.put(best, Readable.from([c]), { sha256: sha(c), bytes: c.length });
      expect((await readKey(store, ckpt)).equals(b)).toBe(true);
      await store.copy(ckpt, best);
      expect((await readKey(store, best)).equals(b)).toBe(true);
      await expect(store.copy(artifactKey({ runId, kind: 'checkpoint', epoch: 9 }), best)).rejects.toThrow();
      expect((await readKey(store, best)).equals(b)).toBe(true);
    });
  });
}

describe('artifact keys', () => {
  it('come from run id, kind and epoch only, and refuse anything else', () => {
    const runId = randomUUID();
    expect(artifactKey({ runId, kind: 'checkpoint', epoch: 7 })).toBe(`runs/${runId}/checkpoint-0007.tar`);
    expect(artifactKey({ runId, kind: 'best', epoch: null })).toBe(`runs/${runId}/best.tar`);
    expect(() => artifactKey({ runId: '../../etc', kind: 'best', epoch: null })).toThrow(/not a uuid/);
    expect(() => artifactKey({ runId, kind: 'x/../y' as never, epoch: null })).toThrow(/unknown kind/);
    expect(() => artifactKey({ runId, kind: 'checkpoint', epoch: 0.5 })).toThrow(/bad epoch/);
  });
});

let dirRoot: string;
let s3Data: string;
let s3: S3rver;
let s3Endpoint: string;

beforeAll(async () => {
  dirRoot = await mkdtemp(path.join(tmpdir(), 'hz-store-dir-'));
  s3Data = await mkdtemp(path.join(tmpdir(), 'hz-store-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Data, configureBuckets: [{ name: 'hz-test' }] });
  s3Endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
  // s3rver's fixed credentials, read by the SDK's default chain like any deployment's.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
});

afterAll(async () => {
  await s3?.close();
  await rm(dirRoot, { recursive: true, force: true });
  await rm(s3Data, { recursive: true, force: true });
});

storeContract('directory store', () => createArtifactStore(ZArtifactStoreEnv.parse({ HZ_ARTIFACT_STORE_DIR: dirRoot })));
storeContract('S3 store (s3rver)', () =>
  createArtifactStore(
    ZArtifactStoreEnv.parse({ HZ_ARTIFACT_STORE: 's3', HZ_S3_BUCKET: 'hz-test', HZ_S3_PREFIX: 'hyperzoo/', HZ_S3_ENDPOINT: s3Endpoint, HZ_S3_FORCE_PATH_STYLE: 'true' }),
  ),
);

describe('directory store on disk', () => {
  it('leaves no temporary file behind after a refused upload', async () => {
    const store = createArtifactStore(ZArtifactStoreEnv.parse({ HZ_ARTIFACT_STORE_DIR: dirRoot }));
    const runId = randomUUID();
    const k = artifactKey({ runId, kind: 'model', epoch: null });
    const data = body(1000);
    await expect(store.put(k, Readable.from([data]), { sha256: 'f'.repeat(64), bytes: data.length })).rejects.toThrow(/sha256 mismatch/);
    expect(await readdir(path.join(dirRoot, 'runs', runId))).toEqual([]);
  });
});

describe('store configuration', () => {
  it('needs a bucket for s3, and takes an empty variable as unset', () => {
    expect(ZArtifactStoreEnv.parse({ HZ_S3_BUCKET: '', HZ_S3_ENDPOINT: '' })).toMatchObject({ HZ_S3_BUCKET: undefined, HZ_S3_ENDPOINT: undefined });
    expect(() => createArtifactStore(ZArtifactStoreEnv.parse({ HZ_ARTIFACT_STORE: 's3' }))).toThrow(/HZ_S3_BUCKET/);
  });
});
