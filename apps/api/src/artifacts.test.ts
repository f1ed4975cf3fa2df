// The artifact route over real HTTP: a worker uploads a checkpoint, people and workers download
// it; tampered bodies, foreign teams, stale attempts and odd paths are refused.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedMember, seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';
import { ArtifactHttpError, createArtifactClient } from '@hyperzoo/client/artifacts';
import { ARTIFACT_SHA256_HEADER } from '@hyperzoo/schemas';

import { startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

let s: TestStack;
let work: string;
let runId: string;
let attempt: number;
let ckpt: string;

async function makeCheckpoint(name: string, fill: number): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', fill }));
  await writeFile(path.join(dir, 'weights.bin'), Buffer.alloc(50_000, fill));
  await writeFile(path.join(dir, 'state.json'), JSON.stringify({ epoch: fill }));
  return dir;
}

const worker = () => createArtifactClient({ url: s.api.url, apiKey: s.seed.workerToken });
const put = (headers: Record<string, string>, body: Buffer | ReadableStream, query: string) =>
  fetch(`${s.api.url}/artifacts/${runId}/${query}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${s.seed.workerToken}`, ...headers },
    body: body instanceof Buffer ? new Uint8Array(body) : body,
    duplex: 'half',
  } as RequestInit);

beforeAll(async () => {
  s = await startTestStack({ apiEnv: { HZ_ARTIFACT_MAX_BYTES: '200000' } });
  work = await mkdtemp(path.join(tmpdir(), 'hz-artifacts-test-'));
  runId = (await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(3) })).id;
  const workerApi = createHyperzooClient({ url: s.api.url, apiKey: s.seed.workerToken });
  attempt = (await workerApi.worker.startRun.mutate({ runId, backend: 'wasm', device: 'test' })).attempt;
  ckpt = await makeCheckpoint('epoch-0001', 1);
});
afterAll(async () => {
  await s?.close();
  await rm(work, { recursive: true, force: true });
});

describe('artifact upload and download', () => {
  it('round-trips a checkpoint through the API, listed and verified', async () => {
    const sent = await worker().upload({ runId, attempt, kind: 'checkpoint', epoch: 1, dir: ckpt });
    await worker().upload({ runId, attempt, kind: 'checkpoint', epoch: 2, dir: await makeCheckpoint('epoch-0002', 2) });
    await worker().upload({ runId, attempt, kind: 'best', epoch: null, dir: ckpt });

    const list = await s.client.artifacts.list.query({ runId });
    expect(list.map((a) => [a.kind, a.epoch])).toEqual([['best', null], ['checkpoint', 1], ['checkpoint', 2]]);
    expect(list[1]).toMatchObject({ bytes: sent.bytes, sha256: sent.sha256 });

    // A person with a read key downloads epoch 1; `latest` is epoch 2.
    const reader = createArtifactClient({ url: s.api.url, apiKey: s.seed.apiKey });
    const dest = path.join(work, 'got-1');
    expect(await reader.download({ runId, selector: 'checkpoint', epoch: 1, dest })).toEqual({ epoch: 1, sha256: sent.sha256 });
    expect(await readFile(path.join(dest, 'weights.bin'))).toEqual(await readFile(path.join(ckpt, 'weights.bin')));
    const latest = await worker().download({ runId, selector: 'latest', dest: path.join(work, 'got-latest') });
    expect(latest?.epoch).toBe(2);
    expect(JSON.parse(await readFile(path.join(work, 'got-latest', 'state.json'), 'utf8'))).toEqual({ epoch: 2 });
    // Stored under a key made of run id + kind + epoch, nothing else.
    expect((await readdir(path.join(s.apiArtifactDir, 'runs', runId))).sort()).toEqual(['best.tar', 'checkpoint-0001.tar', 'checkpoint-0002.tar']);
  });

  it('streams to a logged-in member with the SHA-256 header; a run without a model answers 404', async () => {
    const viewer = await seedMember(s.db.db, s.seed.teamId, 'viewer');
    const res = await fetch(`${s.api.url}/artifacts/${runId}/best`, { headers: { cookie: viewer.cookie } });
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get(ARTIFACT_SHA256_HEADER)).toBe(createHash('sha256').update(body).digest('hex'));
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    expect((await fetch(`${s.api.url}/artifacts/${runId}/model`, { headers: { cookie: viewer.cookie } })).status).toBe(404);
  });

  it('refuses a body whose SHA-256 differs from the announced one, and records nothing', async () => {
    const body = Buffer.alloc(2048, 1);
    const res = await put({ [ARTIFACT_SHA256_HEADER]: createHash('sha256').update('other').digest('hex'), 'content-type': 'application/x-tar' }, body, `checkpoint?epoch=9&attempt=${attempt}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/sha256 mismatch/);
    expect(await s.db.db.artifact.count({ where: { runId, epoch: 9 } })).toBe(0);
    expect(await readdir(path.join(s.apiArtifactDir, 'runs', runId))).not.toContain('checkpoint-0009.tar');
  });

  it('refuses another team: their members and their workers see no run', async () => {
    const other = await seedTeam(s.db.db);
    const stranger = createArtifactClient({ url: s.api.url, apiKey: other.apiKey });
    await expect(stranger.download({ runId, selector: 'latest', dest: path.join(work, 'x') })).resolves.toBeNull();
    const strangerWorker = createArtifactClient({ url: s.api.url, apiKey: other.workerToken });
    await expect(strangerWorker.download({ runId, selector: 'latest', dest: path.join(work, 'x') })).resolves.toBeNull();
    await expect(strangerWorker.upload({ runId, attempt, kind: 'checkpoint', epoch: 3, dir: ckpt })).rejects.toMatchObject({ status: 404 });
    const client = createHyperzooClient({ url: s.api.url, apiKey: other.apiKey });
    await expect(client.artifacts.list.query({ runId })).rejects.toThrow(/not found/);
  });

  it('records a checkpoint sent as the best one under both names, from one upload', async () => {
    const run = (await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(3) })).id;
    const workerApi = createHyperzooClient({ url: s.api.url, apiKey: s.seed.workerToken });
    const at = (await workerApi.worker.startRun.mutate({ runId: run, backend: 'wasm', device: 'test' })).attempt;
    const plain = await worker().upload({ runId: run, attempt: at, kind: 'checkpoint', epoch: 1, dir: await makeCheckpoint('b-1', 11) });
    expect(plain.best).toBe(false);
    const sent = await worker().upload({ runId: run, attempt: at, kind: 'checkpoint', epoch: 2, dir: await makeCheckpoint('b-2', 12), alsoBest: true });
    expect(sent.best).toBe(true);
    const list = await s.client.artifacts.list.query({ runId: run });
    expect(list.map((a) => [a.kind, a.epoch, a.sha256])).toEqual([
      ['best', null, sent.sha256],
      ['checkpoint', 1, plain.sha256],
      ['checkpoint', 2, sent.sha256],
    ]);
    const dest = path.join(work, 'got-best');
    expect(await worker().download({ runId: run, selector: 'best', dest })).toEqual({ epoch: null, sha256: sent.sha256 });
    expect(JSON.parse(await readFile(path.join(dest, 'state.json'), 'utf8'))).toEqual({ epoch: 12 });
    // Only a checkpoint can be flagged; a refused upload records nothing.
    const res = await put({ [ARTIFACT_SHA256_HEADER]: 'a'.repeat(64) }, Buffer.alloc(10), `model?attempt=${at}&best=1`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/best/);
    expect(await s.client.artifacts.list.query({ runId: run })).toHaveLength(3);
  });

  it('takes uploads only from a worker token, on the run’s current attempt, under the size limit', async () => {
    const asUser = createArtifactClient({ url: s.api.url, apiKey: s.seed.apiKey });
    await expect(asUser.upload({ runId, attempt, kind: 'checkpoint', epoch: 3, dir: ckpt })).rejects.toMatchObject({ status: 403 });
    await expect(createArtifactClient({ url: s.api.url }).upload({ runId, attempt, kind: 'checkpoint', epoch: 3, dir: ckpt })).rejects.toMatchObject({ status: 401 });
    await expect(worker().upload({ runId, attempt: attempt + 1, kind: 'checkpoint', epoch: 3, dir: ckpt })).rejects.toThrow(/attempt/);
    const big = await makeCheckpoint('big', 3);
    await writeFile(path.join(big, 'weights.bin'), Buffer.alloc(300_000, 3));
    const err = await worker().upload({ runId, attempt, kind: 'checkpoint', epoch: 3, dir: big }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactHttpError);
    expect(err).toMatchObject({ status: 413 });
  });

  it('answers odd paths and queries with a 4xx naming the field, never a file', async () => {
    const auth = { authorization: `Bearer ${s.seed.apiKey}` };
    const cases: [string, number, RegExp][] = [
      [`/artifacts/..%2F..%2Fetc%2Fpasswd/best`, 400, /runId/],
      [`/artifacts/${runId}/config.json`, 400, /selector/],
      [`/artifacts/${runId}/checkpoint?epoch=-1`, 400, /epoch/],
      [`/artifacts/${runId}/best/extra`, 404, /no such artifact route/],
    ];
    for (const [url, status, message] of cases) {
      const res = await fetch(`${s.api.url}${url}`, { headers: auth });
      expect([url, res.status]).toEqual([url, status]);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    // A chunked body announces no length: refused before it is read.
    const chunked = new Blob([new Uint8Array(10)]).stream();
    const noLength = await put({ [ARTIFACT_SHA256_HEADER]: 'a'.repeat(64) }, chunked, `best?attempt=${attempt}`);
    expect(noLength.status).toBe(400);
    expect(((await noLength.json()) as { error: string }).error).toMatch(/^bytes:/);
    const epochOnBest = await put({ [ARTIFACT_SHA256_HEADER]: 'a'.repeat(64) }, Buffer.alloc(10), `best?attempt=${attempt}&epoch=2`);
    expect(epochOnBest.status).toBe(400);
  });
});
