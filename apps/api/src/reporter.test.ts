// libs/client's EpochReporter against the real API (tRPC over HTTP, Postgres): the API down
// and back, a spool left by a dead process replayed, backfill that never overwrites.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHyperzooClient, getErrorCode } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';
import { EpochReporter } from '@hyperzoo/client/reporter';
import type { TEpochMetric } from '@hyperzoo/schemas';

import { freePort } from '@hyperzoo/lifecycle';
import { startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

const metric = (epoch: number, loss = 0.25): TEpochMetric => ({
  epoch,
  phase: 'train',
  loss,
  accuracy: 0.5,
  val_loss: loss + 0.1,
  val_accuracy: 0.4,
  lr: 0.001,
  duration_ms: 1000,
  images_per_sec: 2000,
});
const spooledEpochs = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as TEpochMetric).epoch);

let s: TestStack;
let worker: HyperzooClient;
let dir: string;
beforeAll(async () => {
  s = await startTestStack();
  worker = createHyperzooClient({ url: s.api.url, apiKey: s.seed.workerToken });
  dir = mkdtempSync(path.join(tmpdir(), 'hz-reporter-'));
});
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A run taken by a worker (attempt 1): reports land only in a running run, from its current attempt. */
const newRun = async () => {
  const { id } = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(3) });
  await worker.worker.startRun.mutate({ runId: id, backend: 'cpu', device: 'test' });
  return id;
};
/** The worker hands the run back and the next one takes it: attempt 2. */
const nextAttempt = async (runId: string) => {
  await worker.worker.releaseRun.mutate({ runId, reason: 'test' });
  await worker.worker.startRun.mutate({ runId, backend: 'cpu', device: 'test' });
};
const storedRows = (runId: string) => s.db.db.epochMetric.findMany({ where: { runId }, orderBy: { epoch: 'asc' } });

describe('EpochReporter against the API', () => {
  it('API down, then up: every epoch stored once and in order; the capped spool keeps the newest', { timeout: 60_000 }, async () => {
    const runId = await newRun();
    const file = path.join(dir, `${runId}.jsonl`);
    const warnings: string[] = [];
    const reporter = new EpochReporter({ api: worker, runId, attempt: 1, spool: { file, maxBytes: 4096 }, retry: { maxDelayMs: 300 }, onWarning: (w) => warnings.push(w) });
    reporter.push(metric(1));
    reporter.push(metric(2));
    await reporter.flush();
    expect(existsSync(file)).toBe(false);

    const url = s.api.url;
    const restarting = s.restartApi(3_000);
    while (await fetch(url).then(() => true, () => false)) await sleep(50);
    for (let e = 3; e <= 40; e++) reporter.push(metric(e, e / 100));
    // Down: the reports wait; the spool holds the newest that fit under its cap.
    expect(statSync(file).size).toBeLessThanOrEqual(4096);
    const spooled = spooledEpochs(file);
    expect(spooled.at(-1)).toBe(40);
    expect(spooled.length).toBeLessThan(38);
    expect(spooled).toEqual(Array.from({ length: spooled.length }, (_, i) => 41 - spooled.length + i));
    // What left the file is named, oldest first: the two together are every down-time epoch.
    const dropped = warnings.flatMap((w) => /^report spool full: epochs ([\d, ]+) left the spool file \(still sent from memory\)$/.exec(w)?.[1]?.split(', ').map(Number) ?? [NaN]);
    expect([...dropped, ...spooled]).toEqual(Array.from({ length: 38 }, (_, i) => i + 3));

    await restarting;
    await reporter.flush();
    const rows = await storedRows(runId);
    expect(rows.map((r) => r.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows.slice(2).map((r) => r.loss)).toEqual(Array.from({ length: 38 }, (_, i) => (i + 3) / 100));
    // Sent in epoch order: each row was created no earlier than the one before it.
    const times = rows.map((r) => r.recordedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(existsSync(file)).toBe(false);
  });

  it('a new reporter replays the spool a dead one left: in order, one report per epoch, the newest winning', { timeout: 60_000 }, async () => {
    const runId = await newRun();
    const file = path.join(dir, `${runId}.jsonl`);
    const nowhere = createHyperzooClient({ url: `http://127.0.0.1:${await freePort()}`, apiKey: s.seed.workerToken });
    const dead = new EpochReporter({ api: nowhere, runId, attempt: 1, spool: { file }, retry: { deadlineMs: 0 } });
    dead.push(metric(1, 0.9));
    dead.push(metric(2, 0.8));
    dead.push(metric(2, 0.7));
    dead.push(metric(3, 0.6));
    await expect(dead.flush()).rejects.toThrow();
    expect(spooledEpochs(file)).toEqual([1, 2, 2, 3]);

    // The next attempt (say, on a restarted worker) resumes and retrains epoch 3.
    await nextAttempt(runId);
    const next = new EpochReporter({ api: worker, runId, attempt: 2, spool: { file } });
    next.push(metric(3, 0.5));
    next.push(metric(4, 0.4));
    await next.flush();
    const rows = await storedRows(runId);
    expect(rows.map((r) => [r.epoch, r.loss, r.attempt])).toEqual([
      [1, 0.9, 2],
      [2, 0.7, 2],
      [3, 0.5, 2],
      [4, 0.4, 2],
    ]);
    expect(existsSync(file)).toBe(false);
  });

  it('backfill fills gaps only and never overwrites a report; a report after it wins', async () => {
    const runId = await newRun();
    const first = new EpochReporter({ api: worker, runId, attempt: 1 });
    first.push(metric(1, 0.5));
    first.push(metric(2, 0.4));
    await first.flush();

    await nextAttempt(runId);
    const next = new EpochReporter({ api: worker, runId, attempt: 2 });
    next.backfill([metric(1, 9), metric(2, 9), metric(3, 9), metric(4, 9)]);
    next.push(metric(4, 0.3));
    await next.flush();
    const rows = await storedRows(runId);
    expect(rows.map((r) => [r.epoch, r.loss, r.attempt])).toEqual([
      [1, 0.5, 1],
      [2, 0.4, 1],
      [3, 9, 2],
      [4, 0.3, 2],
    ]);
  });

  it('a spool it cannot write is a warning; the reports still go out', async () => {
    const runId = await newRun();
    const warnings: string[] = [];
    const reporter = new EpochReporter({ api: worker, runId, attempt: 1, spool: { file: path.join(dir, 'missing-dir', 'spool.jsonl') }, onWarning: (w) => warnings.push(w) });
    reporter.push(metric(1));
    await reporter.flush();
    expect(warnings).toEqual([expect.stringMatching(/^cannot write the report spool: ENOENT/)]);
    expect((await storedRows(runId)).map((r) => r.epoch)).toEqual([1]);
  });

  it('does not retry a refused report and keeps it spooled', async () => {
    const runId = '00000000-0000-4000-8000-000000000000';
    const file = path.join(dir, 'refused.jsonl');
    const reporter = new EpochReporter({ api: worker, runId, attempt: 1, spool: { file } });
    reporter.push(metric(1));
    const t0 = Date.now();
    const err = await reporter.flush().then(() => null, (e: unknown) => e);
    expect(getErrorCode(err)).toBe('NOT_FOUND');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(spooledEpochs(file)).toEqual([1]);
  });
});
