// A run follows its artifacts across hosts: two workers with separate artifact directories (no
// shared disk); the first is killed mid-run and the second resumes from the API's `latest`.
import { mkdtempSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createArtifactClient } from '@hyperzoo/client/artifacts';
import type { TRunConfigInput } from '@hyperzoo/schemas';

import { isFinal, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

// Enough tiny epochs that the run is still going when the kill comes (one can take ~30 ms).
const EPOCHS = 20;

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s?.close();
});

/** Starts `config` on host A, kills A once a checkpoint of epoch 2 or later is stored, finishes on host B. */
async function killOnAFinishOnB(config: TRunConfigInput & { epochs: number }) {
  const hostA = mkdtempSync(path.join(tmpdir(), 'hz-host-a-'));
  const hostB = mkdtempSync(path.join(tmpdir(), 'hz-host-b-'));
  const first = s.startWorker({ HZ_ARTIFACT_DIR: hostA, HZ_WORKER_NAME: 'host-a' });
  const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config });
  const uploaded = await s.killMidRun(first, run.id, { checkpointEpoch: 2, epochs: config.epochs, timeoutMs: 150_000 });
  const second = s.startWorker({ HZ_ARTIFACT_DIR: hostB, HZ_WORKER_NAME: 'host-b' });
  const done = await s.waitForRun(run.id, isFinal, 200_000);
  await second.kill('SIGKILL');
  expect(done.status, second.output().slice(-3000)).toBe('succeeded');
  expect(done.attempt).toBe(2);
  expect(done.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: config.epochs }, (_, i) => i + 1));
  return { run: done, hostA, hostB, uploaded };
}

describe('a run killed on one host', () => {
  it('resumes on another host from the checkpoint it uploaded', { timeout: 300_000 }, async () => {
    const { run, hostA, hostB, uploaded } = await killOnAFinishOnB(tinyMlpConfig(EPOCHS));
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

  it('with restore_best_weights, ends on the best epoch host A saw, which host B fetches too', { timeout: 300_000 }, async () => {
    // A min_delta no val_loss can beat: epoch 1 stays the best, so host B needs a checkpoint older than `latest`.
    const earlyStopping = { monitor: 'val_loss' as const, patience: 100, minDelta: 100, restoreBestWeights: true };
    const { run, hostB } = await killOnAFinishOnB({ ...tinyMlpConfig(EPOCHS), earlyStopping });
    expect(run.bestEpoch).toBe(1);
    expect(await readdir(path.join(hostB, run.id))).toContain('epoch-0001');
    // The trained model holds epoch 1's weights, not the last epoch's.
    const reader = createArtifactClient({ url: s.api.url, apiKey: s.seed.apiKey });
    const weights = async (selector: 'model' | 'checkpoint', epoch?: number) => {
      const dest = mkdtempSync(path.join(tmpdir(), 'hz-got-'));
      expect(await reader.download({ runId: run.id, selector, epoch, dest: path.join(dest, 'm') })).not.toBeNull();
      return readFile(path.join(dest, 'm', 'weights.bin'));
    };
    const model = await weights('model');
    expect(model.equals(await weights('checkpoint', 1))).toBe(true);
    expect(model.equals(await weights('checkpoint', EPOCHS))).toBe(false);
  });
});
