import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { createVerifier } from './store';
import type { ArtifactStore, TPutExpectation } from './store';

export interface TS3StoreConfig {
  bucket: string;
  /** Key prefix inside the bucket, e.g. `hyperzoo/` (empty: the bucket's root). */
  prefix: string;
  region: string;
  /** An S3-compatible server's URL (MinIO, Ceph, ...); unset: AWS. */
  endpoint?: string;
  /** Path-style URLs (bucket in the path), which most S3-compatible servers need. */
  forcePathStyle: boolean;
}

/**
 * Artifacts in an S3-compatible bucket (official AWS SDK; credentials from its default chain:
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, or an instance role). An upload goes to a
 * staging key, is checked, then copied to its key, so a reader never sees unverified bytes.
 */
export class S3Store implements ArtifactStore {
  private readonly s3: S3Client;

  constructor(private readonly config: TS3StoreConfig) {
    this.s3 = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      // Checksums only where S3 requires them: many S3-compatible servers refuse the SDK's default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    return `${this.config.prefix}${key}`;
  }

  async put(key: string, body: Readable, expect: TPutExpectation): Promise<void> {
    const Bucket = this.config.bucket;
    const staging = `${this.objectKey(key)}.upload-${randomBytes(6).toString('hex')}`;
    // The verifier fails the stream on a bad body; abort the request then, or the SDK would wait for more.
    const checked = createVerifier(expect);
    const abort = new AbortController();
    const verdict: { rejected: Error | null } = { rejected: null };
    checked.once('error', (err) => {
      verdict.rejected = err;
      abort.abort(err);
    });
    body.once('error', (err) => checked.destroy(err));
    body.pipe(checked);
    try {
      const put = new PutObjectCommand({ Bucket, Key: staging, Body: checked, ContentLength: expect.bytes, ContentType: 'application/x-tar' });
      try {
        await this.s3.send(put, { abortSignal: abort.signal });
      } catch (err) {
        throw verdict.rejected ?? err;
      }
      if (verdict.rejected) throw verdict.rejected;
      await this.s3.send(new CopyObjectCommand({ Bucket, Key: this.objectKey(key), CopySource: `${Bucket}/${encodeURIComponent(staging).replace(/%2F/g, '/')}` }));
    } finally {
      await this.s3.send(new DeleteObjectCommand({ Bucket, Key: staging })).catch(() => undefined);
    }
  }

  async copy(from: string, to: string): Promise<void> {
    const Bucket = this.config.bucket;
    await this.s3.send(new CopyObjectCommand({ Bucket, Key: this.objectKey(to), CopySource: `${Bucket}/${encodeURIComponent(this.objectKey(from)).replace(/%2F/g, '/')}` }));
  }

  async get(key: string): Promise<{ body: Readable; bytes: number } | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      if (!(out.Body instanceof Readable)) throw new Error('S3 answered without a body stream');
      return { body: out.Body, bytes: out.ContentLength ?? 0 };
    } catch (err) {
      if (err instanceof NoSuchKey) return null;
      throw err;
    }
  }
}
