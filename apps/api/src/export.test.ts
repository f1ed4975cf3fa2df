// The export route over real HTTP: the same auth as tRPC, streamed CSV and JSON, other teams refused.
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedMember, seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';

import { startTestStack } from './testing/stack';
import type { TestStack } from './testing/stack';

let s: TestStack;
let b: Awaited<ReturnType<typeof seedTeam>>;
const runIds: string[] = [];
const EPOCHS = 1500;

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${s.api.url}${path}`, { headers });
const asA = () => ({ authorization: `Bearer ${s.seed.apiKey}` });

beforeAll(async () => {
  s = await startTestStack();
  b = await seedTeam(s.db.db);
  const result = { status: 'succeeded' as const, bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: 0.5, paramCount: 7, backend: null, device: null, error: null };
  for (const [i, optimizer] of (['adam', 'sgd'] as const).entries()) {
    const run = await s.client.sdk.createRun.mutate({ teamSlug: s.seed.teamSlug, runId: randomUUID(), name: `run, "${optimizer}"`, config: { architecture: 'mlp', epochs: EPOCHS, optimizer: { name: optimizer, learningRate: 0.01 } } });
    const epochs = Array.from({ length: EPOCHS }, (_, e) => ({ epoch: e + 1, loss: 1 / (e + 1), accuracy: 0.5, val_loss: 1, val_accuracy: 0.4 + i / 10, lr: null, duration_ms: 1, images_per_sec: null }));
    for (let k = 0; k < EPOCHS; k += 500) await s.client.sdk.logEpochs.mutate({ runId: run.id, epochs: epochs.slice(k, k + 500) });
    await s.client.sdk.finishRun.mutate({ runId: run.id, result });
    runIds.push(run.id);
  }
  await createHyperzooClient({ url: s.api.url, apiKey: b.apiKey }).sdk.createRun.mutate({ teamSlug: b.teamSlug, runId: randomUUID(), config: { architecture: 'mlp', epochs: 1 } });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('GET /export', () => {
  it('streams the team’s runs as CSV, filtered like runs.list, with quoted text', async () => {
    const res = await get(`/export/runs.csv?team=${s.seed.teamSlug}&where=optimizer.name=sgd&min.val_accuracy=0.45`, asA());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id,name,project,status,architecture,dataset/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${runIds[1]},"run, ""sgd""",default,succeeded,mlp,fashion-mnist`));
  });

  it('streams every epoch of the filtered runs as a JSON array, chunked', async () => {
    const res = await fetch(`${s.api.url}/export/epochs.json?team=${s.seed.teamSlug}&status=succeeded`, { headers: { cookie: (await seedMember(s.db.db, s.seed.teamId, 'viewer')).cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const rows = (await res.json()) as { runId: string; epoch: number; val_accuracy: number }[];
    expect(rows).toHaveLength(2 * EPOCHS);
    expect(new Set(rows.map((r) => r.runId))).toEqual(new Set(runIds));
    expect(rows.find((r) => r.runId === runIds[0] && r.epoch === EPOCHS)).toMatchObject({ val_accuracy: 0.4 });
  });

  it('answers another team 404 like a missing team, and no caller 401', async () => {
    const foreign = await get(`/export/runs.csv?team=${s.seed.teamSlug}`, { authorization: `Bearer ${b.apiKey}` });
    const missing = await get(`/export/runs.csv?team=no-such-team`, { authorization: `Bearer ${b.apiKey}` });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await foreign.json()) as { error: string }).error.replace(s.seed.teamSlug, 'X')).toBe(((await missing.json()) as { error: string }).error.replace('no-such-team', 'X'));
    expect((await get(`/export/epochs.csv?team=${s.seed.teamSlug}`)).status).toBe(401);
    expect((await get(`/export/epochs.csv?team=${s.seed.teamSlug}`, { authorization: `Bearer ${s.seed.workerToken}` })).status).toBe(403);
  });

  it('refuses bad filters with the parameter’s path, and unknown exports', async () => {
    const bad = await get(`/export/runs.csv?team=${s.seed.teamSlug}&where=x');drop=1`, asA());
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/config/);
    expect((await get(`/export/runs.xml?team=${s.seed.teamSlug}`, asA())).status).toBe(404);
  });
});
