// The thin path end to end, all real: tRPC over HTTP -> BullMQ (real Redis) -> a worker
// process -> a trainer child training an MLP with tfjs -> epochs in Postgres.
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runEventsChannel } from '@hyperzoo/queue';
import { ZRunEvent } from '@hyperzoo/schemas';
import type { TRunEvent } from '@hyperzoo/schemas';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';

import { isFinal, startTestStack } from './testing/stack';
import type { TestStack, WorkerProc } from './testing/stack';

let s: TestStack;
let worker: WorkerProc;

beforeAll(async () => {
  s = await startTestStack();
  worker = s.startWorker();
});
afterAll(async () => {
  await s?.close();
});

describe('thin path', () => {
  it('trains an MLP run queued through the API and records every epoch in Postgres', { timeout: 240_000 }, async () => {
    const sub = new Redis(s.redisUrl);
    const events: TRunEvent[] = [];
    sub.on('pmessage', (_p, _c, message: string) => events.push(ZRunEvent.parse(JSON.parse(message))));
    await sub.psubscribe(runEventsChannel('*', s.queuePrefix));
    const created = await s.client.runs.create.mutate({
      teamSlug: s.seed.teamSlug,
      config: { architecture: 'mlp', epochs: 2, batchSize: 32, data: { dataset: 'fashion-mnist', subsetPerClass: 20, validationSize: 0.2, testPerClass: 10 } },
    });
    expect(created.status).toBe('queued');

    const run = await s.waitForRun(created.id, isFinal, 200_000);
    expect(run.status, `run ended ${run.status} (${run.error}); worker said:\n${worker.output().slice(-3000)}`).toBe('succeeded');
    expect(run.attempt).toBe(1);
    expect(run.backend).toBe('wasm');
    expect(run.paramCount).toBe(266_610);
    expect(run.testAccuracy).toBeGreaterThan(0);

    const rows = await s.db.db.epochMetric.findMany({ where: { runId: created.id }, orderBy: { epoch: 'asc' } });
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
    // Live events went out as it trained. The final status is published after the database has
    // it, so it may still be on its way when waitForRun returns: wait for it, then check the order.
    for (const deadline = Date.now() + 60_000; !events.some((e) => e.type === 'status' && e.status === 'succeeded'); await sleep(100)) {
      if (Date.now() > deadline) throw new Error(`no final status event; saw ${JSON.stringify(events.map((e) => e.type))}`);
    }
    sub.disconnect();
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.metric.epoch)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'succeeded', runId: created.id });
    // The worker registered and heartbeats.
    const workers = await s.client.worker.list.query({ teamSlug: s.seed.teamSlug });
    // A cpu worker runs one trainer per core unless HZ_SLOTS says otherwise.
    expect(workers).toMatchObject([{ name: worker.name, status: 'online', resourceClass: 'cpu', capacity: availableParallelism() }]);
  });

  it('refuses another team and bad input with zod paths', async () => {
    const other = await seedTeam(s.db.db);
    const foreign = createHyperzooClient({ url: s.api.url, apiKey: other.apiKey });
    await expect(foreign.runs.list.query({ teamSlug: s.seed.teamSlug })).rejects.toThrow(/not found/);
    const bad = s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: { architecture: 'mlp', epochs: 0 } });
    await expect(bad).rejects.toMatchObject({ data: { issues: [{ path: 'config.epochs' }] } });
  });
});
