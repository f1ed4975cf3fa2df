import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';

/** What a store checks while it receives an upload. */
export interface TPutExpectation {
  /** Hex SHA-256 the sender announced; the content is kept only if it matches. */
  sha256: string;
  /** Bytes the sender announced (Content-Length); more or fewer is refused. */
  bytes: number;
}

/** Where the API keeps artifact bytes: a directory on its host, or an S3-compatible bucket. */
export interface ArtifactStore {
  /** Streams `body` under `key`; visible to `get` only once complete and verified (else nothing is left behind). */
  put(key: string, body: Readable, expect: TPutExpectation): Promise<void>;
  /** The stored bytes, or null when the key holds nothing. */
  get(key: string): Promise<{ body: Readable; bytes: number } | null>;
  /**
   * Makes `to` hold what `from` holds now, inside the store (no bytes through the API); a later
   * put of either key leaves the other as it was. Fails when `from` holds nothing.
   */
  copy(from: string, to: string): Promise<void>;
}

/** An upload the store refused: its content is not what the sender announced. */
export class ArtifactRejectedError extends Error {
  override name = 'ArtifactRejectedError';
}

/**
 * Passes bytes through while hashing and counting them, and fails (so the upload fails with it)
 * as soon as the body exceeds the announced size, or at its end when the size or SHA-256 differ:
 * a store finishes an upload only after this stream ended cleanly.
 */
export function createVerifier(expect: TPutExpectation): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.byteLength;
      if (bytes > expect.bytes) return done(new ArtifactRejectedError(`body is larger than the announced ${expect.bytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      if (bytes !== expect.bytes) return done(new ArtifactRejectedError(`body has ${bytes} bytes, ${expect.bytes} were announced`));
      const actual = hash.digest('hex');
      if (actual !== expect.sha256) return done(new ArtifactRejectedError(`sha256 mismatch: announced ${expect.sha256}, received ${actual}`));
      done();
    },
  });
}
