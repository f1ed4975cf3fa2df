// Worker pools on real processes: a worker serves only its token's team's queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
