// A job that fails for good after the worker took its run reports the run's attempt as startRun
// gave it, not BullMQ's attemptsMade (they differ once a run was taken before, e.g. by a worker
// that was lost and the reconciler re-queued): ingest refuses a report from another attempt,
// and the run would stay running.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHyperzooClient } from '@hyperzoo/client';

import { isFinal, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

describe('a train job that fails for good', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('ends its run failed with the attempt startRun returned', { timeout: 240_000 }, async () => {
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(1) });
    // An earlier attempt that was handed back: the run is queued again on attempt 1.
    const asWorker = createHyperzooClient({ url: s.api.url, apiKey: s.seed.workerToken });
    await asWorker.worker.startRun.mutate({ runId: run.id, backend: 'wasm', device: 'lost' });
    await asWorker.worker.releaseRun.mutate({ runId: run.id, reason: 'test: an earlier worker' });
    // Every attempt of the job fails after taking the run: its directory cannot be made.
    writeFileSync(path.join(s.artifactDir, run.id), 'not a directory');
    const w = s.startWorker();
    const done = await s.waitForRun(run.id, isFinal, 200_000);
    expect(done.status, w.output().slice(-3000)).toBe('failed');
    // Three job attempts took the run on attempts 2, 3 and 4; BullMQ counted 3.
    expect(done.attempt).toBe(4);
    expect(done.error).toMatch(/EEXIST|ENOTDIR|not a directory|file already exists/);
  });
});
