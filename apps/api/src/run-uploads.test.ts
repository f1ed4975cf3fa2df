// What one tiny run costs the API beside its training: a real worker trains it while this test
// watches the artifact requests the API receives. The best checkpoint travels once; a first
// attempt downloads nothing.
import { stat } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isFinal, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

let s: TestStack;
const puts: string[] = [];
const gets: string[] = [];
beforeAll(async () => {
  s = await startTestStack();
  // Uploads ask first (Expect: 100-continue): they arrive as checkContinue, not request.
  s.api.server.on('checkContinue', (req: { method?: string; url?: string }) => {
    if (req.method === 'PUT' && req.url?.startsWith('/artifacts/')) puts.push(req.url);
  });
  s.api.server.on('request', (req: { method?: string; url?: string }) => {
    if (req.method === 'GET' && req.url?.startsWith('/artifacts/')) gets.push(req.url);
  });
});
afterAll(async () => {
  await s?.close();
});

describe('a tiny run through a worker', () => {
  it('uploads each checkpoint and the model once; the best one is copied as best inside the store', { timeout: 120_000 }, async () => {
    const worker = s.startWorker();
    const run = await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(3) });
    const done = await s.waitForRun(run.id, isFinal, 100_000);
    await worker.kill('SIGTERM');
    expect(done.status, worker.output().slice(-3000)).toBe('succeeded');

    const artifacts = await s.client.artifacts.list.query({ runId: run.id });
    const checkpoints = artifacts.filter((a) => a.kind === 'checkpoint');
    const best = artifacts.find((a) => a.kind === 'best');
    expect(checkpoints.length).toBeGreaterThan(0);
    // `best` is a checkpoint's bytes, recorded under its own name...
    const bestCheckpoint = checkpoints.find((c) => c.sha256 === best?.sha256);
    expect(bestCheckpoint, JSON.stringify(artifacts)).toBeDefined();
    // ...and the API received no upload of it: one PUT per checkpoint, one for the model.
    const mine = puts.filter((u) => u.includes(run.id));
    expect(mine.filter((u) => u.includes('/best'))).toEqual([]);
    expect(mine.length, mine.join('\n')).toBe(checkpoints.length + 1);
    // In the directory store, the copy is a second name of the checkpoint's file.
    const runDir = path.join(s.apiArtifactDir, 'runs', run.id);
    const [b, c] = await Promise.all([stat(path.join(runDir, 'best.tar')), stat(path.join(runDir, `checkpoint-${String(bestCheckpoint?.epoch).padStart(4, '0')}.tar`))]);
    expect(b.ino).toBe(c.ino);
    // A first attempt has nothing in the store to resume from, and does not ask.
    expect(gets.filter((u) => u.includes(run.id))).toEqual([]);
  });
});
