import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';

import type { TestDatabase } from '@hyperzoo/db/testing';
import { trainQueueName } from '@hyperzoo/queue';
import type { TrainQueues } from '@hyperzoo/queue';
import { toIssues } from '@hyperzoo/schemas';

import { MAX_RUN_ATTEMPTS } from './services/attempts';
import { reconcileQueuedRuns } from './services/reconcile';
import { sha256 } from './services/tokens';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let h: RouterHarness;
let t: TestDatabase;
let redis: RouterHarness['redis'];
let queues: TrainQueues;
let prefix: string;

beforeAll(async () => {
  h = await startRouterHarness();
  ({ t, redis, queues, prefix } = h);
});
afterAll(async () => {
  await h?.close();
});

const callerFor = (headers: { authorization?: string; cookie?: string }) => h.callerFor(headers);
const bearer = (key: string) => h.bearer(key);
const MLP = { architecture: 'mlp' as const, epochs: 2 };

describe('auth', () => {
  it('logs in with a password, sets an HttpOnly session cookie, and the cookie authenticates', async () => {
    const s = await seedTeam(t.db);
    const anon = await callerFor({});
    await expect(anon.caller.auth.login({ email: s.email, password: 'wrong' })).rejects.toThrow(/wrong email or password/);
    await anon.caller.auth.login({ email: s.email, password: s.password });
    expect(anon.cookies[0]).toMatch(/^hz_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
    const token = /hz_session=([\w-]+)/.exec(anon.cookies[0] ?? '')?.[1] ?? '';
    const me = await (await callerFor({ cookie: `hz_session=${token}` })).caller.auth.me();
    expect(me.teams).toEqual([{ slug: s.teamSlug, name: s.teamSlug, role: 'owner' }]);
    await expect((await callerFor({})).caller.auth.me()).rejects.toThrow(/log in or send an API key/);
  });

  it('stores API keys and sessions only as hashes', async () => {
    const s = await seedTeam(t.db);
    const row = await t.db.apiKey.findFirstOrThrow({ where: { teamId: s.teamId, name: 'test' } });
    expect(row.keyHash).toBe(sha256(s.apiKey));
    // The secret is everything after the prefix (base64url: it may itself contain '_').
    expect(JSON.stringify(row)).not.toContain(s.apiKey.split('_').slice(2).join('_'));
    const revoked = await seedTeam(t.db);
    await t.db.apiKey.updateMany({ where: { teamId: revoked.teamId }, data: { revokedAt: new Date() } });
    await expect((await bearer(revoked.apiKey)).auth.me()).rejects.toThrow(/log in/);
  });
});

// Access (team isolation, roles, worker tokens) for every procedure: access.test.ts.

describe('runs and ingest', () => {
  it('refuses an impossible config with the zod path before anything is written or queued', async () => {
    const a = await seedTeam(t.db);
    const api = await bearer(a.apiKey);
    const jobKeys = () => redis.keys(`bull:${prefix}hz-train-*:*-*`);
    const jobsBefore = (await jobKeys()).length;
    const cases: [unknown, string][] = [
      [{ architecture: 'lenet5', depth: [2, 2] }, 'config.depth'],
      [{ architecture: 'resnet', denseActivation: 'relu' }, 'config.denseActivation'],
      [{ architecture: 'mlp', dropout: 1.5 }, 'config.dropout'],
      [{ architecture: 'mlp', earlyStopping: { monitor: 'val_top5' } }, 'config.earlyStopping.monitor'],
      [{ architecture: 'transfer', activation: 'relu', transfer: { modelUrl: 'file:///m/model.json' } }, 'config.activation'],
      [{ architecture: 'transfer' }, 'config.transfer'],
    ];
    for (const [config, path] of cases) {
      // A new project slug too: a refused call must not leave it behind.
      const err = await api.runs.create({ teamSlug: a.teamSlug, projectSlug: 'never-made', config: config as never }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe('BAD_REQUEST');
      const cause = (err as TRPCError).cause;
      expect(cause).toBeInstanceOf(ZodError);
      expect(toIssues(cause as ZodError).map((i) => i.path)).toEqual([path]);
    }
    expect(await t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(0);
    expect(await t.db.project.count({ where: { teamId: a.teamId, slug: 'never-made' } })).toBe(0);
    expect((await jobKeys()).length).toBe(jobsBefore);
  });

  it('creates a queued run with a job whose id is the run id', async () => {
    const a = await seedTeam(t.db);
    const run = await (await bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    expect(run.status).toBe('queued');
    expect(await queues.has(run.id, { teamId: a.teamId, resourceClass: 'cpu' })).toBe(true);
    const job = await redis.hgetall(`bull:${trainQueueName(a.teamId, 'cpu', prefix)}:${run.id}`);
    expect(JSON.parse(job.data ?? '{}')).toMatchObject({ runId: run.id, teamId: a.teamId, config: { architecture: 'mlp' } });
  });

  it('upserts epochs on run + epoch: a replayed report never duplicates', async () => {
    const a = await seedTeam(t.db);
    const run = await (await bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    const w = await bearer(a.workerToken);
    const { attempt } = await w.worker.startRun({ runId: run.id, backend: 'cpu', device: 'test' });
    const epoch = (n: number, loss: number) => ({ epoch: n, loss, accuracy: 0.5, val_loss: loss + 0.1, val_accuracy: 0.4, lr: 0.001, duration_ms: 10, images_per_sec: 100 });
    await w.worker.reportEpochs({ runId: run.id, attempt, epochs: [epoch(1, 1.0), epoch(2, 0.8)] });
    await w.worker.reportEpochs({ runId: run.id, attempt, epochs: [epoch(2, 0.7)] });
    const rows = await t.db.epochMetric.findMany({ where: { runId: run.id }, orderBy: { epoch: 'asc' } });
    expect(rows.map((r) => [r.epoch, r.loss])).toEqual([[1, 1.0], [2, 0.7]]);
    // A backfill from a checkpoint fills the gap (epoch 3) and leaves stored epochs alone.
    await w.worker.reportEpochs({ runId: run.id, attempt, epochs: [epoch(2, 9.9), epoch(3, 0.6)], backfill: true });
    const filled = await t.db.epochMetric.findMany({ where: { runId: run.id }, orderBy: { epoch: 'asc' } });
    expect(filled.map((r) => [r.epoch, r.loss])).toEqual([[1, 1.0], [2, 0.7], [3, 0.6]]);
    const result = { status: 'succeeded' as const, bestEpoch: 2, stoppedEpoch: null, testLoss: 0.7, testAccuracy: 0.6, paramCount: 10, backend: 'cpu' as const, device: 'test', error: null };
    await w.worker.finishRun({ runId: run.id, attempt, result });
    await w.worker.finishRun({ runId: run.id, attempt, result: { ...result, status: 'failed', error: 'late replay' } });
    const detail = await (await bearer(a.apiKey)).runs.get({ runId: run.id });
    expect(detail).toMatchObject({ status: 'succeeded', bestEpoch: 2, testAccuracy: 0.6, error: null });
    await expect(w.worker.startRun({ runId: run.id, backend: 'cpu', device: 'x' })).rejects.toThrow(/is succeeded/);
  });

  it('creates one project for concurrent runs naming a new one', async () => {
    const a = await seedTeam(t.db);
    const api = await bearer(a.apiKey);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => api.runs.create({ teamSlug: a.teamSlug, projectSlug: 'fresh', config: MLP })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await t.db.project.count({ where: { teamId: a.teamId, slug: 'fresh' } })).toBe(1);
    expect(await t.db.run.count({ where: { project: { teamId: a.teamId, slug: 'fresh' } } })).toBe(10);
  });

  it('cancels a queued run at once and removes its job', async () => {
    const a = await seedTeam(t.db);
    const c = await bearer(a.apiKey);
    const run = await c.runs.create({ teamSlug: a.teamSlug, config: MLP });
    const cancelled = await c.runs.cancel({ runId: run.id });
    expect(cancelled.status).toBe('cancelled');
    expect(await queues.has(run.id, { teamId: a.teamId, resourceClass: 'cpu' })).toBe(false);
  });

  it('re-enqueues queued runs that lost their job (Redis wiped)', async () => {
    const a = await seedTeam(t.db);
    const run = await (await bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    await queues.remove(run.id, { teamId: a.teamId, resourceClass: 'cpu' });
    expect(await queues.has(run.id, { teamId: a.teamId, resourceClass: 'cpu' })).toBe(false);
    const r = await reconcileQueuedRuns({ db: t.db, queues, live: h.live });
    expect(r.enqueued).toBeGreaterThanOrEqual(1);
    expect(await queues.has(run.id, { teamId: a.teamId, resourceClass: 'cpu' })).toBe(true);
    expect((await reconcileQueuedRuns({ db: t.db, queues, live: h.live })).enqueued).toBe(0);
  });

  it('re-queues a running run whose worker went silent and whose job is gone', async () => {
    const a = await seedTeam(t.db);
    const run = await (await bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    const w = await bearer(a.workerToken);
    const { workerId } = await w.worker.register({ name: 'gone', hostname: 'h', backend: 'cpu', devices: [], resourceClass: 'cpu', capacity: 1, version: 't' });
    await w.worker.startRun({ runId: run.id, workerId, backend: 'cpu', device: 'x' });
    await queues.remove(run.id, { teamId: a.teamId, resourceClass: 'cpu' });
    // Heartbeating worker: left alone.
    expect((await reconcileQueuedRuns({ db: t.db, queues, live: h.live })).orphaned).toBe(0);
    await t.db.worker.update({ where: { id: workerId }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
    const r = await reconcileQueuedRuns({ db: t.db, queues, live: h.live });
    expect(r.orphaned).toBe(1);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('queued');
    expect(await queues.has(run.id, { teamId: a.teamId, resourceClass: 'cpu' })).toBe(true);
    const workers = await (await bearer(a.apiKey)).worker.list({ teamSlug: a.teamSlug });
    expect(workers.find((x) => x.id === workerId)?.status).toBe('offline');
  });

  it('a run whose worker keeps dying ends failed after its retry budget, and is not re-queued', async () => {
    const a = await seedTeam(t.db);
    const run = await (await bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    const w = await bearer(a.workerToken);
    const target = { teamId: a.teamId, resourceClass: 'cpu' as const };
    for (let i = 1; i <= MAX_RUN_ATTEMPTS; i++) {
      const { workerId } = await w.worker.register({ name: `dies-${i}`, hostname: 'h', backend: 'cpu', devices: [], resourceClass: 'cpu', capacity: 1, version: 't' });
      expect((await w.worker.startRun({ runId: run.id, workerId, backend: 'cpu', device: 'x' })).attempt).toBe(i);
      // The worker dies: no heartbeat, its job gone.
      await queues.remove(run.id, target);
      await t.db.worker.update({ where: { id: workerId }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
      await reconcileQueuedRuns({ db: t.db, queues, live: h.live });
    }
    const ended = await t.db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(ended.status).toBe('failed');
    expect(ended.error).toBe(`retry budget exhausted after ${MAX_RUN_ATTEMPTS} attempts; last error: worker lost`);
    expect(await queues.has(run.id, target)).toBe(false);
    await reconcileQueuedRuns({ db: t.db, queues, live: h.live });
    expect(await queues.has(run.id, target)).toBe(false);
    await expect(w.worker.startRun({ runId: run.id, backend: 'cpu', device: 'x' })).rejects.toThrow(/is failed/);
  });

  it('startRun past the budget ends the run failed instead of taking it', async () => {
    const a = await seedTeam(t.db);
    const run = await (await bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    await t.db.run.update({ where: { id: run.id }, data: { attempt: MAX_RUN_ATTEMPTS, error: 'trainer crashed' } });
    const w = await bearer(a.workerToken);
    await expect(w.worker.startRun({ runId: run.id, backend: 'cpu', device: 'x' })).rejects.toThrow(/used its 5 attempts/);
    expect(await t.db.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: 'failed',
      attempt: MAX_RUN_ATTEMPTS,
      error: `retry budget exhausted after ${MAX_RUN_ATTEMPTS} attempts; last error: trainer crashed`,
    });
  });

  it('rejects bad input with zod paths', async () => {
    const a = await seedTeam(t.db);
    const c = await bearer(a.apiKey);
    const err = await c.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'vgg' as 'mlp', epochs: 2 } }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/architecture/);
  });
});
