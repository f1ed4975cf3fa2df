// Ingest only into a running run, from its current attempt; replays of that attempt stay idempotent.
import { randomUUID } from 'node:crypto';

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DomainError } from './errors';
import { recordArtifact } from './services/ingest';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let h: RouterHarness;
beforeAll(async () => {
  h = await startRouterHarness();
});
afterAll(async () => {
  await h?.close();
});

const epoch = (n: number) => ({ epoch: n, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, duration_ms: 5, images_per_sec: 10 });
const result = (status: 'succeeded' | 'failed') => ({
  status, bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: null, backend: null, device: null, error: status === 'failed' ? 'x' : null,
});
const artifact = (runId: string, epochN = 1) => ({ runId, kind: 'checkpoint' as const, epoch: epochN, path: `r/ckpt-${epochN}`, bytes: 1, sha256: 'a'.repeat(64) });
const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError || e instanceof DomainError ? e.code : String(e)));

async function setUp() {
  const a = await seedTeam(h.t.db);
  const user = await h.bearer(a.apiKey);
  const w = await h.bearer(a.workerToken);
  const run = await user.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 3 } });
  // Artifacts are recorded by the upload route (apps/api), which calls this after storing the bytes.
  const record = (input: ReturnType<typeof artifact> & { attempt?: number }) => recordArtifact(h.t.db, { teamId: a.teamId, servesPlatformPool: false }, input);
  return { a, w, runId: run.id, record };
}
const epochCount = (runId: string) => h.t.db.epochMetric.count({ where: { runId } });
const artifactCount = (runId: string) => h.t.db.artifact.count({ where: { runId } });

describe('ingest state checks', () => {
  it('refuses epochs and artifacts into a succeeded run', async () => {
    const { w, runId, record } = await setUp();
    const { attempt } = await w.worker.startRun({ runId, backend: 'cpu', device: 'x' });
    await w.worker.finishRun({ runId, attempt, result: result('succeeded') });
    expect(await codeOf(w.worker.reportEpochs({ runId, attempt, epochs: [epoch(1)] }))).toBe('PRECONDITION_FAILED');
    expect(await codeOf(record(artifact(runId)))).toBe('PRECONDITION_FAILED');
    expect(await epochCount(runId)).toBe(0);
    expect(await artifactCount(runId)).toBe(0);
  });

  it('refuses reports into a queued run (never started)', async () => {
    const { w, runId, record } = await setUp();
    expect(await codeOf(w.worker.reportEpochs({ runId, attempt: 1, epochs: [epoch(1)] }))).toBe('PRECONDITION_FAILED');
    expect(await codeOf(record(artifact(runId)))).toBe('PRECONDITION_FAILED');
    expect(await epochCount(runId)).toBe(0);
  });

  it('refuses reports and results from a stale or a future attempt; the current one replays idempotently', async () => {
    const { w, runId, record } = await setUp();
    await w.worker.startRun({ runId, backend: 'cpu', device: 'x' });
    await w.worker.releaseRun({ runId, reason: 'test' });
    const { attempt } = await w.worker.startRun({ runId, backend: 'cpu', device: 'x' });
    expect(attempt).toBe(2);
    for (const other of [1, 3]) {
      expect(await codeOf(w.worker.reportEpochs({ runId, attempt: other, epochs: [epoch(1)] }))).toBe('PRECONDITION_FAILED');
      expect(await codeOf(record({ ...artifact(runId), attempt: other }))).toBe('PRECONDITION_FAILED');
      expect(await codeOf(w.worker.finishRun({ runId, attempt: other, result: result('failed') }))).toBe('PRECONDITION_FAILED');
    }
    expect(await epochCount(runId)).toBe(0);
    expect(await artifactCount(runId)).toBe(0);
    expect((await h.t.db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe('running');
    // The current attempt, twice (a spool replay): stored once.
    for (let i = 0; i < 2; i++) {
      expect((await w.worker.reportEpochs({ runId, attempt, epochs: [epoch(1), epoch(2)] })).stored).toBe(2);
      await record({ ...artifact(runId), attempt });
    }
    expect(await epochCount(runId)).toBe(2);
    expect(await artifactCount(runId)).toBe(1);
    await w.worker.finishRun({ runId, attempt, result: result('succeeded') });
    await w.worker.finishRun({ runId, attempt, result: result('succeeded') });
    expect((await h.t.db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe('succeeded');
  });

  it('refuses finishRun with a result on a run never started; only a failure may end it', async () => {
    const { w, runId } = await setUp();
    expect(await codeOf(w.worker.finishRun({ runId, attempt: 1, result: result('succeeded') }))).toBe('PRECONDITION_FAILED');
    expect(await h.t.db.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: 'queued', finishedAt: null });
    // A worker that could not take the job (an invalid payload) still ends it as failed.
    await w.worker.finishRun({ runId, attempt: 1, result: result('failed') });
    expect((await h.t.db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe('failed');
  });

  it('refuses a worker id of another team (and an unknown one) at startRun', async () => {
    const { w, runId } = await setUp();
    const b = await seedTeam(h.t.db);
    const wb = await h.bearer(b.workerToken);
    const { workerId: foreign } = await wb.worker.register({ name: 'b-1', hostname: 'h', backend: 'cpu', devices: [], resourceClass: 'cpu', capacity: 1, version: 't' });
    for (const workerId of [foreign, randomUUID()]) {
      expect(await codeOf(w.worker.startRun({ runId, workerId, backend: 'cpu', device: 'x' }))).toBe('NOT_FOUND');
    }
    expect(await h.t.db.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: 'queued', attempt: 0, workerId: null });
  });
});
