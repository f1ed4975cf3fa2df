// A run follows its artifacts across hosts: two workers with separate artifact directories (no
// shared disk); the first is killed mid-run and the second resumes from the API's `latest`.
import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isFinal, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s?.close();
});

describe('a run killed on one host', () => {
  it('resumes on another host from the checkpoint it uploaded', { timeout: 300_000 }, async () => {
    const hostA = mkdtempSync(path.join(tmpdir(), 'hz-host-a-'));
    const hostB = mkdtempSync(path.join(tmpdir(), 'hz-host-b-'));
    const first = s.startWorker({ HZ_ARTIFACT_DIR: hostA, HZ_WORKER_NAME: 'host-a' });
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(6) });

    // Wait until a checkpoint of epoch 2 or later is in the API's store, then kill host A.
    const deadline = Date.now() + 150_000;
    let uploaded = 0;
    while (uploaded < 2) {
      if (Date.now() > deadline) throw new Error(`no checkpoint uploaded in time\n${first.output().slice(-3000)}`);
      await sleep(200);
      const rows = await s.client.artifacts.list.query({ runId: run.id });
      uploaded = Math.max(0, ...rows.filter((r) => r.kind === 'checkpoint').map((r) => r.epoch ?? 0));
    }
    await first.kill('SIGKILL');
    const second = s.startWorker({ HZ_ARTIFACT_DIR: hostB, HZ_WORKER_NAME: 'host-b' });

    const done = await s.waitForRun(run.id, isFinal, 200_000);
    expect(done.status, second.output().slice(-3000)).toBe('succeeded');
    expect(done.attempt).toBe(2);
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // Not restarted from scratch: the epochs in the uploaded checkpoint keep attempt 1's reports.
    const rows = await s.db.db.epochMetric.findMany({ where: { runId: run.id }, select: { epoch: true, attempt: true }, orderBy: { epoch: 'asc' } });
    const redone = rows.filter((r) => r.attempt === 2).map((r) => r.epoch);
    expect(Math.min(...redone), JSON.stringify(rows)).toBeGreaterThan(uploaded);
    // Host B had nothing of the run on its disk but what it downloaded; the model went back up.
    expect(await readdir(path.join(hostA))).toEqual([run.id]);
    expect(await readdir(path.join(hostB, run.id))).toContain('final');
    const kinds = (await s.client.artifacts.list.query({ runId: run.id })).map((a) => a.kind);
    expect(kinds).toContain('model');
    expect(kinds).toContain('best');
  });
});
