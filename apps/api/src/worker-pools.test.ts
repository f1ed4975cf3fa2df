// Worker pools on real processes: a worker serves only its token's team's queue, and the
// platform pool's workers also the teams that opted in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth } from '@hyperzoo/api-routers';
import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';

import { isFinal, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

describe('worker pools', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("two teams, two workers: each trains only its own team's runs", { timeout: 300_000 }, async () => {
    const b = await seedTeam(s.db.db);
    const clientB = createHyperzooClient({ url: s.api.url, apiKey: b.apiKey });
    // Team B's run is queued before any worker of B exists: team A's worker must leave it alone.
    const runB = await clientB.runs.create.mutate({ teamSlug: b.teamSlug, config: tinyMlpConfig(1) });
    const runA = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(1) });
    const workerA = s.startWorker();
    const doneA = await s.waitForRun(runA.id, isFinal, 150_000);
    expect(doneA.status, workerA.output().slice(-2000)).toBe('succeeded');
    const waitingB = await clientB.runs.get.query({ runId: runB.id });
    expect(waitingB).toMatchObject({ status: 'queued', attempt: 0, error: null });

    s.startWorker({ HZ_WORKER_TOKEN: b.workerToken });
    for (let i = 0; ; i++) {
      const r = await clientB.runs.get.query({ runId: runB.id });
      if (isFinal(r)) {
        expect(r).toMatchObject({ status: 'succeeded', attempt: 1 });
        break;
      }
      if (i > 500) throw new Error(`team B's run did not finish: ${r.status}`);
      await new Promise((res) => setTimeout(res, 300));
    }
    const rows = await s.db.db.run.findMany({ where: { id: { in: [runA.id, runB.id] } }, select: { id: true, project: { select: { teamId: true } }, worker: { select: { teamId: true } } } });
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.worker?.teamId).toBe(r.project.teamId);
  });
});

describe('the platform pool', () => {
  let s: TestStack;
  beforeAll(async () => {
    // The seeded team's workers are the platform pool.
    s = await startTestStack({ apiEnv: (seed) => ({ HZ_PLATFORM_POOL_TEAM: seed.teamSlug }) });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the pool's worker trains and answers predictions for a team that opted in, never for one that did not", { timeout: 300_000 }, async () => {
    const b = await seedTeam(s.db.db);
    const c = await seedTeam(s.db.db);
    const adminB = createHyperzooClient({ url: s.api.url, apiKey: (await auth.createApiKey(s.db.db, { teamId: b.teamId, userId: b.userId, name: 'admin', scopes: ['admin'] })).key });
    await adminB.teams.setPlatformPool.mutate({ teamSlug: b.teamSlug, enabled: true });
    const clientB = createHyperzooClient({ url: s.api.url, apiKey: b.apiKey });
    const clientC = createHyperzooClient({ url: s.api.url, apiKey: c.apiKey });
    const runC = await clientC.runs.create.mutate({ teamSlug: c.teamSlug, config: tinyMlpConfig(1) });
    const runB = await clientB.runs.create.mutate({ teamSlug: b.teamSlug, config: tinyMlpConfig(1) });
    const poolWorker = s.startWorker();
    let doneB = await clientB.runs.get.query({ runId: runB.id });
    for (let i = 0; !isFinal(doneB); i++) {
      if (i > 600) throw new Error(`team B's run did not finish: ${doneB.status}\n${poolWorker.output().slice(-2000)}`);
      await new Promise((res) => setTimeout(res, 300));
      doneB = await clientB.runs.get.query({ runId: runB.id });
    }
    expect(doneB.status, poolWorker.output().slice(-2000)).toBe('succeeded');
    const row = await s.db.db.run.findUniqueOrThrow({ where: { id: runB.id }, select: { worker: { select: { teamId: true } } } });
    expect(row.worker?.teamId).toBe(s.seed.teamId);
    // Its artifacts went up through the pool worker's token, and its model answers through the pool's predict queue.
    expect((await clientB.artifacts.list.query({ runId: runB.id })).map((a) => a.kind)).toContain('model');
    const pixels = Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 0));
    const answer = await clientB.runs.predict.mutate({ runId: runB.id, image: { kind: 'pixels', pixels }, topK: 3 });
    expect(answer.predictions).toHaveLength(3);
    // Team C did not opt in: its run still waits for a worker of its own.
    expect(await clientC.runs.get.query({ runId: runC.id })).toMatchObject({ status: 'queued', attempt: 0 });
  });
});
