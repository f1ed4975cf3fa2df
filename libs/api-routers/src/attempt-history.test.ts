// runs.attempts: each start of a run on a worker, with where it ran and how it ended.
import { randomUUID } from 'node:crypto';

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { failOutOfAttempts } from './services/attempts';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedMember, seedTeam } from './testing/seed';

let h: RouterHarness;
beforeAll(async () => {
  h = await startRouterHarness();
});
afterAll(async () => {
  await h?.close();
});

const result = (status: 'succeeded' | 'failed', error: string | null = null, device: string | null = null) => ({
  status, bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: null, backend: null, device, error,
});
const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
const device = { kind: 'cpu' as const, name: 'x86', memoryMb: null, cores: 2 };

async function setUp() {
  const a = await seedTeam(h.t.db);
  const user = await h.bearer(a.apiKey);
  const w = await h.bearer(a.workerToken);
  const register = (name: string) => w.worker.register({ name, hostname: `${name}.lab`, backend: 'wasm', devices: [device], resourceClass: 'cpu', capacity: 1, version: '1' });
  const run = await user.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 3 } });
  return { a, user, w, register, runId: run.id };
}

describe('runs.attempts', () => {
  it('records each start: a lost worker, a hand-back, then the attempt that succeeded', async () => {
    const { user, w, register, runId } = await setUp();
    expect(await user.runs.attempts({ runId })).toEqual([]);
    const gpu = await register('gpu-1');
    const cpu = await register('cpu-2');
    // Attempt 1 dies without a word (the job stalls and is retried); attempt 2 is handed back on shutdown.
    await w.worker.startRun({ runId, workerId: gpu.workerId, backend: 'tensorflow-gpu', device: 'RTX 4090' });
    await w.worker.startRun({ runId, workerId: cpu.workerId, backend: 'wasm', device: 'cpu (2 cores)' });
    expect((await user.runs.attempts({ runId })).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'lost'],
      [2, null],
    ]);
    await w.worker.releaseRun({ runId, reason: 'worker shutting down' });
    // The trainer names the device once it ran: the result's device replaces the one the start guessed.
    const { attempt } = await w.worker.startRun({ runId, workerId: null, backend: 'cpu', device: 'pending' });
    expect(attempt).toBe(3);
    await w.worker.finishRun({ runId, attempt, result: result('succeeded', null, 'AMD EPYC, 2 cores') });
    // A replayed result does not reopen or rewrite anything.
    await w.worker.finishRun({ runId, attempt, result: result('succeeded') });

    const attempts = await user.runs.attempts({ runId });
    expect(attempts).toMatchObject([
      { attempt: 1, workerName: 'gpu-1 (gpu-1.lab)', backend: 'tensorflow-gpu', device: 'RTX 4090', outcome: 'lost', error: null },
      { attempt: 2, workerName: 'cpu-2 (cpu-2.lab)', backend: 'wasm', device: 'cpu (2 cores)', outcome: 'released', error: 'worker shutting down' },
      { attempt: 3, workerName: null, backend: 'cpu', device: 'AMD EPYC, 2 cores', outcome: 'succeeded', error: null },
    ]);
    for (const a of attempts) {
      expect(a.endedAt).toBeInstanceOf(Date);
      expect(a.endedAt?.getTime()).toBeGreaterThanOrEqual(a.startedAt.getTime());
    }
  });

  it('keeps the error of a failed attempt, and closes the open one when the retry budget runs out', async () => {
    const { user, w, runId } = await setUp();
    const { attempt } = await w.worker.startRun({ runId, backend: 'wasm', device: 'cpu' });
    await w.worker.finishRun({ runId, attempt, result: result('failed', 'out of memory') });
    expect(await user.runs.attempts({ runId })).toMatchObject([{ attempt: 1, outcome: 'failed', error: 'out of memory' }]);

    const other = await setUp();
    await other.w.worker.startRun({ runId: other.runId, backend: 'wasm', device: 'cpu' });
    expect(await failOutOfAttempts(h.t.db, other.runId, 'worker lost')).toBe(true);
    const [only] = await other.user.runs.attempts({ runId: other.runId });
    expect(only).toMatchObject({ attempt: 1, outcome: 'failed' });
    expect(only?.error).toMatch(/retry budget exhausted .* worker lost/);
  });

  it('answers a viewer of the team, and another team (or no run) with not found', async () => {
    const { a, runId } = await setUp();
    const viewer = await seedMember(h.t.db, a.teamId, 'viewer');
    const { caller: asViewer } = await h.callerFor({ cookie: viewer.cookie });
    expect(await asViewer.runs.attempts({ runId })).toEqual([]);
    const stranger = await h.bearer((await seedTeam(h.t.db)).apiKey);
    expect(await codeOf(stranger.runs.attempts({ runId }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.runs.attempts({ runId: randomUUID() }))).toBe('NOT_FOUND');
  });
});
