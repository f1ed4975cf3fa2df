// Inputs that used to answer 500 with source paths and Postgres text, some after a partial
// write: each is now a 4xx naming the field (or a bare 500 with a request id), and writes nothing.
import { randomUUID } from 'node:crypto';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';

import { ZApiEnv } from './env';
import { startApiServer } from './server';
import type { ApiServer } from './server';

let t: TestDatabase;
let api: ApiServer;
let seed: Awaited<ReturnType<typeof seedTeam>>;
const logged: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  seed = await seedTeam(t.db);
  const env = ZApiEnv.parse({
    DATABASE_URL: t.url,
    REDIS_URL: process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    API_PORT: '0',
    HZ_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}-`,
  });
  const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
  api = await startApiServer(env, log);
});
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

interface TAnswer {
  status: number;
  requestId: string | null;
  text: string;
  message: string;
  issues: { path: string; message: string }[] | null;
}

async function post(path: string, input: unknown, headers: Record<string, string> = {}): Promise<TAnswer> {
  const res = await fetch(`${api.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${seed.apiKey}`, ...headers },
    body: JSON.stringify({ json: input }),
  });
  return answer(res);
}

async function answer(res: Response): Promise<TAnswer> {
  const text = await res.text();
  const body = JSON.parse(text) as { error?: { json: { message: string; data: { issues: TAnswer['issues'] } } } };
  return { status: res.status, requestId: res.headers.get('x-request-id'), text, message: body.error?.json.message ?? '', issues: body.error?.json.data.issues ?? null };
}

const worker = { authorization: '' };
const epoch = (n: number) => ({ epoch: n, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, duration_ms: 5, images_per_sec: 10 });
const result = { status: 'succeeded', bestEpoch: 1, stoppedEpoch: null, testLoss: 1, testAccuracy: 0.5, paramCount: 10, backend: 'cpu', device: 'x', error: null };
const LEAKS = /\/work\/|\/home\/|node_modules|\.ts:\d|prisma|postgres|invalid byte sequence|unsupported Unicode|SELECT|INSERT|at async/i;

async function startedRun() {
  const created = await post('runs.create', { teamSlug: seed.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
  expect(created.status).toBe(200);
  const runId = (JSON.parse(created.text) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  expect((await post('worker.startRun', { runId, backend: 'cpu', device: 'x' }, worker)).status).toBe(200);
  return runId;
}

describe('bad input over HTTP', () => {
  beforeAll(() => {
    worker.authorization = `Bearer ${seed.workerToken}`;
  });

  it.each([
    ['a NUL byte', 'a\0b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
  ])('runs.create with %s in the name: 400 on `name`, and no new project', async (_what, name) => {
    const slug = `p-${randomUUID().slice(0, 8)}`;
    const r = await post('runs.create', { teamSlug: seed.teamSlug, projectSlug: slug, name, config: { architecture: 'mlp', epochs: 1 } });
    expect(r.status).toBe(400);
    expect(r.issues?.map((i) => i.path)).toEqual(['name']);
    expect(await t.db.project.count({ where: { slug } })).toBe(0);
  });

  it('refuses unstorable strings in every worker field that is stored', async () => {
    const runId = await startedRun();
    const register = { name: 'w', hostname: 'h', backend: 'cpu', devices: [{ kind: 'cpu', name: 'c', memoryMb: null, cores: 1 }], resourceClass: 'cpu', capacity: 1, version: 't' };
    const cases: [string, unknown, string][] = [
      ['worker.register', { ...register, hostname: 'h\uD800' }, 'hostname'],
      ['worker.register', { ...register, devices: [{ kind: 'cpu', name: '\0', memoryMb: null, cores: 1 }] }, 'devices.0.name'],
      ['worker.releaseRun', { runId, reason: 'x\uDFFF' }, 'reason'],
      ['worker.finishRun', { runId, attempt: 1, result: { ...result, error: 'boom\0' } }, 'result.error'],
      ['worker.finishRun', { runId, attempt: 1, result, dataProvenance: { files: ['a\0'] } }, 'dataProvenance'],
      ['worker.finishRun', { runId, attempt: 1, result: { ...result, paramCount: 2 ** 31 } }, 'result.paramCount'],
      ['worker.reportEpochs', { runId, attempt: 2 ** 31, epochs: [epoch(1)] }, 'attempt'],
      ['worker.reportEpochs', { runId, attempt: 1, epochs: [epoch(77), epoch(2 ** 31)] }, 'epochs.1.epoch'],
    ];
    for (const [path, input, field] of cases) {
      const r = await post(path, input, worker);
      expect(r.status, `${path} ${field}`).toBe(400);
      expect(r.issues?.map((i) => i.path), `${path} ${field}`).toEqual([field]);
    }
    expect(await t.db.epochMetric.count({ where: { runId } })).toBe(0);
    expect(await t.db.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: 'running', error: null, paramCount: null });
    expect(await t.db.worker.count({ where: { teamId: seed.teamId } })).toBe(0);
  });

  it('an unknown workerId in startRun is NOT_FOUND, and the run is not taken', async () => {
    const created = await post('runs.create', { teamSlug: seed.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    const runId = (JSON.parse(created.text) as { result: { data: { json: { id: string } } } }).result.data.json.id;
    const r = await post('worker.startRun', { runId, workerId: randomUUID(), backend: 'cpu', device: 'x' }, worker);
    expect(r.status).toBe(404);
    expect(r.message).toMatch(/^worker [0-9a-f-]{36} not found$/);
    expect(await t.db.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: 'queued', attempt: 0 });
  });

  it('a malformed session cookie is no session (401), not a 500', async () => {
    const res = await fetch(`${api.url}/trpc/auth.me`, { headers: { cookie: 'hz_session=%' } });
    const r = await answer(res);
    expect(r.status).toBe(401);
    expect(r.text).not.toMatch(LEAKS);
  });

  it('answers an internal error with the request id only; the log keeps the details', async () => {
    const runId = await startedRun();
    // A real database failure: the artifact table is gone.
    await t.db.$executeRawUnsafe('ALTER TABLE "Artifact" RENAME TO "ArtifactGone"');
    try {
      const input = encodeURIComponent(JSON.stringify({ json: { runId } }));
      const r = await answer(await fetch(`${api.url}/trpc/artifacts.list?input=${input}`, { headers: { authorization: `Bearer ${seed.apiKey}` } }));
      expect(r.status).toBe(500);
      expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.message).toBe(`internal error; request id ${r.requestId}`);
      expect(r.text).not.toMatch(LEAKS);
      expect(r.text).not.toMatch(/ArtifactGone|"Artifact"|relation|stack/);
      const line = logged.find((l) => l.includes(r.requestId ?? 'none'));
      expect(line).toMatch(/Artifact/);
      expect(line).toMatch(/artifacts\.list/);
    } finally {
      await t.db.$executeRawUnsafe('ALTER TABLE "ArtifactGone" RENAME TO "Artifact"');
    }
  });
});
