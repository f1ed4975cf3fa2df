// Procedures ride out a short database outage through the client's retry policy (libs/db retry.ts).
import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDb } from '@hyperzoo/db';
import { startPostgresProxy } from '@hyperzoo/db/testing';
import type { TcpProxy } from '@hyperzoo/db/testing';

import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let proxy: TcpProxy;
let h: RouterHarness;

beforeAll(async () => {
  proxy = await startPostgresProxy();
  // The procedures reach Postgres through the proxy; the test checks it directly.
  h = await startRouterHarness((url) => createDb(proxy.via(url), { poolSize: 3 }));
});
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
});

describe('a database outage during a call', () => {
  it('a run created and an epoch reported while Postgres refuses connections are written once it is back', async () => {
    const s = await seedTeam(h.t.db);
    const user = await h.bearer(s.apiKey);
    const worker = await h.bearer(s.workerToken);
    const run = await user.runs.create({ teamSlug: s.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    const { attempt } = await worker.worker.startRun({ runId: run.id, backend: 'cpu', device: 'test' });

    await proxy.stop();
    await sleep(200); // the pool sees its connections go
    const created = user.runs.create({ teamSlug: s.teamSlug, name: 'during-outage', config: { architecture: 'mlp', epochs: 1 } });
    const epoch = { epoch: 1, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, duration_ms: 5, images_per_sec: 10 };
    const reported = worker.worker.reportEpochs({ runId: run.id, attempt, epochs: [epoch] });
    await sleep(1_000);
    await proxy.start();

    await expect(created).resolves.toMatchObject({ name: 'during-outage', status: 'queued' });
    await expect(reported).resolves.toEqual({ stored: 1, cancelRequested: false, pruneRequested: false, rung: null, cutoff: null });
    expect(await h.t.db.run.count({ where: { name: 'during-outage' } })).toBe(1);
    expect(await h.t.db.epochMetric.count({ where: { runId: run.id } })).toBe(1);
  });

  it('a read whose connection is terminated mid-statement is repeated and answers', async () => {
    const s = await seedTeam(h.t.db);
    const user = await h.bearer(s.apiKey);
    const run = await user.runs.create({ teamSlug: s.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    const admin = new pg.Client({ connectionString: h.t.url });
    await admin.connect();
    try {
      // A lock holds the read in flight while its connection is terminated.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE "Run" IN ACCESS EXCLUSIVE MODE');
      const read = user.runs.get({ runId: run.id });
      await sleep(300);
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
      await sleep(300);
      await admin.query('COMMIT');
      await expect(read).resolves.toMatchObject({ id: run.id });
    } finally {
      await admin.end();
    }
  });
});
