import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { ARTIFACT_EPOCH_HEADER, ARTIFACT_SHA256_HEADER, artifactPath } from '@hyperzoo/schemas';
import type { TArtifactKind, TArtifactSelector } from '@hyperzoo/schemas';

import { ArtifactHttpError } from '../errors';
import { packableBytes, packDir, packDirToChunks, unpackTo } from './bundle';

/** Artifacts up to this size (their files' bytes) are packed in memory for an upload. */
const IN_MEMORY_PACK_BYTES = 64 * 1024 * 1024;

export interface TArtifactClientOptions {
  /** The API's base URL. */
  url: string;
  /** A worker token for uploads; any API key with read access (or a worker token of the run's team) for downloads. */
  apiKey?: string;
  timeoutMs?: number;
}

function send(opts: TArtifactClientOptions, method: 'GET' | 'PUT', target: string, headers: OutgoingHttpHeaders, body?: Readable): Promise<IncomingMessage> {
  const url = new URL(target, `${opts.url.replace(/\/$/, '')}/`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const auth = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
    // Uploads ask before sending (Expect: 100-continue): a refusal (auth, attempt, size) comes
    // back before a byte of the body is sent.
    const req = request(url, { method, headers: { ...headers, ...auth, ...(body ? { expect: '100-continue' } : {}) }, timeout: timeoutMs });
    let answered = false;
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in ${timeoutMs} ms`)));
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.on('response', (res) => {
      answered = true;
      body?.destroy();
      resolve(res);
    });
    if (body) {
      req.on('continue', () => body.on('error', (err) => req.destroy(err)).pipe(req));
      req.flushHeaders();
    } else {
      req.end();
    }
  });
}

async function failure(res: IncomingMessage, what: string): Promise<ArtifactHttpError> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  let message = text;
  try {
    message = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // not JSON: keep the text
  }
  return new ArtifactHttpError(res.statusCode ?? 0, `${what}: ${res.statusCode} ${message}`.trim());
}

/** Uploads and downloads of run artifacts through the API's artifact route. */
export function createArtifactClient(opts: TArtifactClientOptions) {
  return {
    /**
     * Packs a checkpoint (or model) directory and streams it to the API, which checks its SHA-256.
     * `alsoBest` (a checkpoint only): it is the run's best one too; `best` in the answer says
     * whether the API recorded it as such (an API without this answers false: upload `best` then).
     */
    async upload(input: { runId: string; attempt: number; kind: TArtifactKind; epoch: number | null; dir: string; alsoBest?: boolean }): Promise<{ bytes: number; sha256: string; best: boolean }> {
      // Small artifacts (checkpoints of a few MB) are packed in memory; larger ones go through a file.
      const inMemory = (await packableBytes(input.dir)) <= IN_MEMORY_PACK_BYTES;
      const tmp = inMemory ? null : await mkdtemp(path.join(tmpdir(), 'hz-upload-'));
      try {
        const tarFile = tmp === null ? null : path.join(tmp, 'artifact.tar');
        const packed = tarFile === null ? await packDirToChunks(input.dir) : { ...(await packDir(input.dir, tarFile)), chunks: null };
        const { bytes, sha256 } = packed;
        const target = artifactPath(input.runId, input.kind, { epoch: input.epoch, attempt: input.attempt, best: input.alsoBest });
        const headers = { 'content-type': 'application/x-tar', 'content-length': bytes, [ARTIFACT_SHA256_HEADER]: sha256 };
        const res = await send(opts, 'PUT', target, headers, packed.chunks !== null ? Readable.from(packed.chunks) : createReadStream(tarFile ?? ''));
        if (res.statusCode !== 201) throw await failure(res, `upload ${input.kind} of run ${input.runId}`);
        let text = '';
        for await (const chunk of res) text += String(chunk);
        let best = false;
        try {
          best = (JSON.parse(text) as { best?: unknown }).best === true;
        } catch {
          // not JSON: nothing more was recorded than what was sent
        }
        return { bytes, sha256, best };
      } finally {
        if (tmp !== null) await rm(tmp, { recursive: true, force: true });
      }
    },

    /**
     * Downloads an artifact and unpacks it into `dest` (replaced only once verified). Null when the
     * run has no such artifact (nothing uploaded yet).
     */
    async download(input: { runId: string; selector: TArtifactSelector; epoch?: number; dest: string }): Promise<{ epoch: number | null; sha256: string } | null> {
      const res = await send(opts, 'GET', artifactPath(input.runId, input.selector, { epoch: input.epoch }), {});
      if (res.statusCode === 404) {
        res.resume();
        return null;
      }
      if (res.statusCode !== 200) throw await failure(res, `download ${input.selector} of run ${input.runId}`);
      const sha256 = String(res.headers[ARTIFACT_SHA256_HEADER] ?? '');
      if (!/^[0-9a-f]{64}$/.test(sha256)) {
        res.destroy();
        throw new Error(`download ${input.selector} of run ${input.runId}: the answer has no ${ARTIFACT_SHA256_HEADER} header`);
      }
      await unpackTo(res, input.dest, sha256);
      const epoch = res.headers[ARTIFACT_EPOCH_HEADER];
      return { epoch: epoch ? Number(epoch) : null, sha256 };
    },
  };
}
export type ArtifactClient = ReturnType<typeof createArtifactClient>;
