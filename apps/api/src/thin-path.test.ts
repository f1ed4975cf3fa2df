// The thin path end to end, all real: tRPC over HTTP -> BullMQ (real Redis) -> a worker
// process -> a trainer child training an MLP with tfjs -> epochs in Postgres.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';

import { ZApiEnv } from './env';
import { startApiServer } from './server';
import type { ApiServer } from './server';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID().slice(0, 8)}-`;

let t: TestDatabase;
let api: ApiServer;
let worker: ChildProcess;
let seed: Awaited<ReturnType<typeof seedTeam>>;
let workerOutput = '';

beforeAll(async () => {
  t = await createTestDatabase();
  seed = await seedTeam(t.db);
  api = await startApiServer(
    ZApiEnv.parse({ DATABASE_URL: t.url, REDIS_URL, API_PORT: '0', HZ_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' }),
    pino({ level: 'warn' }),
  );
  worker = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL,
      API_URL: api.url,
      HZ_WORKER_TOKEN: seed.workerToken,
      HZ_QUEUE_PREFIX: prefix,
      TFJS_BACKEND: 'wasm',
      HZ_ARTIFACT_DIR: mkdtempSync(path.join(tmpdir(), 'hz-artifacts-')),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (b: Buffer) => (workerOutput += b.toString()));
  worker.stderr?.on('data', (b: Buffer) => (workerOutput += b.toString()));
});

afterAll(async () => {
  worker?.kill('SIGTERM');
  await api?.close();
  await t?.drop();
});

describe('thin path', () => {
  it('trains an MLP run queued through the API and records every epoch in Postgres', { timeout: 240_000 }, async () => {
    const client = createHyperzooClient({ url: api.url, apiKey: seed.apiKey });
    const created = await client.runs.create.mutate({
      teamSlug: seed.teamSlug,
      config: { architecture: 'mlp', epochs: 2, batchSize: 32, data: { dataset: 'fashion-mnist', subsetPerClass: 20, validationSize: 0.2, testPerClass: 10 } },
    });
    expect(created.status).toBe('queued');

    let run = await client.runs.get.query({ runId: created.id });
    const deadline = Date.now() + 200_000;
    while (['queued', 'running'].includes(run.status) && Date.now() < deadline) {
      await sleep(500);
      run = await client.runs.get.query({ runId: created.id });
    }
    expect(run.status, `run ended ${run.status} (${run.error}); worker said:\n${workerOutput.slice(-3000)}`).toBe('succeeded');
    expect(run.attempt).toBe(1);
    expect(run.backend).toBe('wasm');
    expect(run.paramCount).toBe(266_610);
    expect(run.testAccuracy).toBeGreaterThan(0);

    const rows = await t.db.epochMetric.findMany({ where: { runId: created.id }, orderBy: { epoch: 'asc' } });
    expect(rows.map((r) => r.epoch)).toEqual([1, 2]);
    for (const r of rows) {
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.valLoss).not.toBeNull();
      expect(r.valAccuracy).not.toBeNull();
      expect(r.durationMs).toBeGreaterThan(0);
    }
    // The tRPC view matches the rows, with Keras names.
    expect(run.epochs.map((e) => e.val_loss)).toEqual(rows.map((r) => r.valLoss));
  });

  it('refuses another team and bad input with zod paths', async () => {
    const other = await seedTeam(t.db);
    const foreign = createHyperzooClient({ url: api.url, apiKey: other.apiKey });
    await expect(foreign.runs.list.query({ teamSlug: seed.teamSlug })).rejects.toThrow(/not found/);
    const client = createHyperzooClient({ url: api.url, apiKey: seed.apiKey });
    const bad = client.runs.create.mutate({ teamSlug: seed.teamSlug, config: { architecture: 'mlp', epochs: 0 } });
    await expect(bad).rejects.toMatchObject({ data: { issues: [{ path: 'config.epochs' }] } });
  });
});
