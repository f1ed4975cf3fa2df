// Live updates over real HTTP (SSE): events published on Redis the way the worker publishes them,
// epochs written through the worker's ingest procedures, so a reconnect can replay from the DB.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';
import { subscribeSse } from '@hyperzoo/client/sse';
import type { SseSubscription } from '@hyperzoo/client/sse';
import { createRedis, runEventsChannel } from '@hyperzoo/queue';
import type { TEpochMetric, TRunEvent } from '@hyperzoo/schemas';

import { startTestStack } from './testing/stack';
import type { TestStack } from './testing/stack';

let s: TestStack;
let publisher: ReturnType<typeof createRedis>;
let worker: ReturnType<typeof createHyperzooClient>;
let workerId: string;
const open: SseSubscription[] = [];

const epoch = (n: number): TEpochMetric => ({ epoch: n, phase: 'train', loss: 1 / n, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, duration_ms: 5, images_per_sec: 10 });
const publish = (event: TRunEvent) => publisher.publish(runEventsChannel(event.runId, s.queuePrefix), JSON.stringify(event));
const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
async function subscribe(path: string, input: object, opts: { key?: string; lastEventId?: string } = {}) {
  const sub = await subscribeSse(s.api.url, path, input, { ...auth(opts.key ?? s.seed.apiKey), lastEventId: opts.lastEventId });
  open.push(sub);
  return sub;
}
async function startedRun(extra: { sweepId?: string } = {}) {
  // A sweep's run is written in its sweep from the start, as the scheduler writes it (the hub looks a run's owner up once).
  const id = extra.sweepId ? await sweepRun(extra.sweepId) : (await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: { architecture: 'mlp', epochs: 5 } })).id;
  const { attempt } = await worker.worker.startRun.mutate({ runId: id, workerId, backend: 'cpu', device: 'test' });
  return { runId: id, attempt };
}
async function sweepRun(sweepId: string) {
  const { projectId } = await s.db.db.sweep.findUniqueOrThrow({ where: { id: sweepId }, select: { projectId: true } });
  const config = { architecture: 'mlp', epochs: 5, data: { dataset: 'fashion-mnist' } };
  const run = await s.db.db.run.create({ data: { projectId, sweepId, name: 'in-sweep', config, architecture: 'mlp', dataset: 'fashion-mnist' }, select: { id: true } });
  return run.id;
}
/** The hub's listeners drop to `n` (a left client leaves none behind). */
async function expectListeners(n: number) {
  for (let i = 0; i < 100 && s.api.live.listenerCount() !== n; i++) await sleep(50);
  expect(s.api.live.listenerCount()).toBe(n);
}

beforeAll(async () => {
  s = await startTestStack();
  publisher = createRedis(s.redisUrl, 'producer');
  worker = createHyperzooClient({ url: s.api.url, apiKey: s.seed.workerToken });
  ({ workerId } = await worker.worker.register.mutate({ name: 'w', hostname: 'h', backend: 'cpu', devices: [], resourceClass: 'cpu', capacity: 1, version: 't' }));
});
afterAll(async () => {
  for (const sub of open) sub.close();
  publisher?.disconnect();
  await s?.close();
});

describe('live.run', () => {
  it('sends the status, then each epoch as the worker publishes it, with tracked ids', async () => {
    const { runId, attempt } = await startedRun();
    const sub = await subscribe('live.run', { runId });
    expect(sub.status).toBe(200);
    expect((await sub.next()).data).toEqual({ type: 'status', runId, attempt, status: 'running' });
    // Keep-alive: the client is told to reconnect after 40 s of silence; the server pings every 15 s.
    expect(sub.received[0]).toMatchObject({ event: 'connected', data: { reconnectAfterInactivityMs: 40_000 } });
    await publish({ type: 'epoch', runId, attempt, metric: epoch(1) });
    const got = await sub.next();
    expect(got.data).toEqual({ type: 'epoch', runId, attempt, metric: epoch(1) });
    expect(got.id).toBe(`${attempt}:1`);
    await publish({ type: 'status', runId, attempt, status: 'succeeded' });
    expect((await sub.next()).data).toMatchObject({ type: 'status', status: 'succeeded' });
    sub.close();
    await expectListeners(0);
  });

  it('replays from the DB what a client missed while disconnected, then goes live', async () => {
    const { runId, attempt } = await startedRun();
    const first = await subscribe('live.run', { runId });
    await first.next();
    await worker.worker.reportEpochs.mutate({ runId, attempt, epochs: [epoch(1)] });
    await publish({ type: 'epoch', runId, attempt, metric: epoch(1) });
    const lastSeen = await first.next();
    first.close();
    // Two epochs happen while the client is away.
    await worker.worker.reportEpochs.mutate({ runId, attempt, epochs: [epoch(2), epoch(3)] });
    await publish({ type: 'epoch', runId, attempt, metric: epoch(2) });
    await publish({ type: 'epoch', runId, attempt, metric: epoch(3) });

    const again = await subscribe('live.run', { runId }, { lastEventId: lastSeen.id ?? undefined });
    const replayed = [await again.next(), await again.next()];
    expect(replayed.map((m) => (m.data as Extract<TRunEvent, { type: 'epoch' }>).metric.epoch)).toEqual([2, 3]);
    expect(replayed.map((m) => m.id)).toEqual([`${attempt}:2`, `${attempt}:3`]);
    expect((await again.next()).data).toMatchObject({ type: 'status', status: 'running' });
    await publish({ type: 'epoch', runId, attempt, metric: epoch(4) });
    expect(await again.next()).toMatchObject({ id: `${attempt}:4`, data: { type: 'epoch', metric: { epoch: 4 } } });
    again.close();
    await expectListeners(0);
  });

  it('answers another team NOT_FOUND on subscribe, as for a run that does not exist', async () => {
    const { runId } = await startedRun();
    const other = await seedTeam(s.db.db);
    for (const input of [{ runId }, { runId: randomUUID() }]) {
      const sub = await subscribe('live.run', input, { key: other.apiKey });
      expect(await sub.next()).toMatchObject({ event: 'serialized-error', data: { message: `run ${input.runId} not found`, data: { code: 'NOT_FOUND' } } });
      sub.close();
    }
    await expectListeners(0);
  });

  it('fans 20 subscribers out from one Redis subscriber and leaves no listener behind', async () => {
    const { runId, attempt } = await startedRun();
    const subs = await Promise.all(Array.from({ length: 20 }, () => subscribe('live.run', { runId })));
    await Promise.all(subs.map((x) => x.next()));
    expect(s.api.live.listenerCount()).toBe(20);
    await publish({ type: 'epoch', runId, attempt, metric: epoch(1) });
    for (const x of await Promise.all(subs.map((sub) => sub.next()))) expect(x.id).toBe(`${attempt}:1`);
    for (const x of subs) x.close();
    await expectListeners(0);
  });
});

describe('live.runs and live.sweep', () => {
  it('sends a team its runs’ status changes and progress, and nothing of another team', async () => {
    const sub = await subscribe('live.runs', { teamSlug: s.seed.teamSlug });
    const other = await seedTeam(s.db.db);
    const otherSub = await subscribe('live.runs', { teamSlug: other.teamSlug }, { key: other.apiKey });
    await sleep(200);
    const { runId, attempt } = await startedRun();
    await publish({ type: 'status', runId, attempt, status: 'running' });
    await publish({ type: 'epoch', runId, attempt, metric: epoch(1) });
    // runs.create published the run queued (attempt 0) itself.
    expect((await sub.next()).data).toEqual({ type: 'status', runId, attempt: 0, status: 'queued' });
    expect((await sub.next()).data).toEqual({ type: 'status', runId, attempt, status: 'running' });
    expect((await sub.next()).data).toEqual({ type: 'progress', runId, epoch: 1 });
    await expect(otherSub.next(500)).rejects.toThrow(/no event/);
    sub.close();
    otherSub.close();
    await expectListeners(0);
  });

  it('replays a team’s changed and running runs on reconnect', async () => {
    const since = String(Date.now());
    const { runId, attempt } = await startedRun();
    await worker.worker.reportEpochs.mutate({ runId, attempt, epochs: [epoch(1), epoch(2)] });
    const sub = await subscribe('live.runs', { teamSlug: s.seed.teamSlug }, { lastEventId: since });
    const seen: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      const m = await sub.next(2000).catch(() => null);
      if (!m) break;
      seen.push(m.data);
    }
    expect(seen).toContainEqual({ type: 'status', runId, attempt, status: 'running' });
    expect(seen).toContainEqual({ type: 'progress', runId, epoch: 2 });
    sub.close();
  });

  it('sends a sweep its runs’ changes, access-checked on the sweep’s team', async () => {
    const { projectId } = await s.db.db.project.findFirstOrThrow({ where: { team: { slug: s.seed.teamSlug } }, select: { id: true } }).then((p) => ({ projectId: p.id }));
    const sweep = await s.db.db.sweep.create({ data: { projectId, name: 'live', method: 'grid', spec: {}, seed: 0, metricName: 'val_accuracy', metricGoal: 'maximize', maxRuns: 1, maxConcurrent: 1 }, select: { id: true } });
    const sub = await subscribe('live.sweep', { sweepId: sweep.id });
    const other = await seedTeam(s.db.db);
    const refused = await subscribe('live.sweep', { sweepId: sweep.id }, { key: other.apiKey });
    expect(await refused.next()).toMatchObject({ event: 'serialized-error', data: { message: `sweep ${sweep.id} not found`, data: { code: 'NOT_FOUND' } } });
    await sleep(200);
    const inSweep = await startedRun({ sweepId: sweep.id });
    const outside = await startedRun();
    await publish({ type: 'epoch', runId: outside.runId, attempt: outside.attempt, metric: epoch(1) });
    await publish({ type: 'epoch', runId: inSweep.runId, attempt: inSweep.attempt, metric: epoch(3) });
    expect((await sub.next()).data).toEqual({ type: 'progress', runId: inSweep.runId, epoch: 3 });
    sub.close();
    refused.close();
    await expectListeners(0);
  });
});

describe('status changes the API makes itself', () => {
  it('reach a team’s and a run’s subscribers: runs.create, runs.cancel, sweeps.create, sweeps.cancel, the reconciler', async () => {
    const team = await seedTeam(s.db.db);
    const client = createHyperzooClient({ url: s.api.url, apiKey: team.apiKey });
    const sub = await subscribe('live.runs', { teamSlug: team.teamSlug }, { key: team.apiKey });
    // A second new team: nothing of its own happens, so any event it hears would be the first team's.
    const otherTeam = await seedTeam(s.db.db);
    const others = await subscribe('live.runs', { teamSlug: otherTeam.teamSlug }, { key: otherTeam.apiKey });
    await sleep(200);
    const statusOf = async () => (await sub.next()).data as Extract<TRunEvent, { type: 'status' }>;

    const run = await client.runs.create.mutate({ teamSlug: team.teamSlug, config: { architecture: 'mlp', epochs: 5 } });
    expect(await statusOf()).toEqual({ type: 'status', runId: run.id, attempt: 0, status: 'queued' });
    const runSub = await subscribe('live.run', { runId: run.id }, { key: team.apiKey });
    expect((await runSub.next()).data).toMatchObject({ status: 'queued' });
    await client.runs.cancel.mutate({ runId: run.id });
    expect(await statusOf()).toEqual({ type: 'status', runId: run.id, attempt: 0, status: 'cancelled' });
    expect((await runSub.next()).data).toEqual({ type: 'status', runId: run.id, attempt: 0, status: 'cancelled' });

    const spec = { name: 'live', method: 'grid', architectures: ['mlp'], metric: { name: 'val_accuracy' }, dataset: { dataset: 'fashion-mnist', subsetPerClass: 10 }, maxConcurrent: 2, parameters: { batchSize: { values: [16, 32, 64] } } };
    const sweep = await client.sweeps.create.mutate({ teamSlug: team.teamSlug, spec });
    expect(sweep.queued).toBe(2);
    const queued = [await statusOf(), await statusOf()];
    expect(queued.map((e) => e.status)).toEqual(['queued', 'queued']);
    const inSweep = await s.db.db.run.findMany({ where: { sweepId: sweep.sweepId }, select: { id: true } });
    expect(new Set(queued.map((e) => e.runId))).toEqual(new Set(inSweep.map((r) => r.id)));
    await client.sweeps.cancel.mutate({ sweepId: sweep.sweepId });
    const cancelled = [await statusOf(), await statusOf()];
    expect(cancelled.map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
    expect(new Set(cancelled.map((e) => e.runId))).toEqual(new Set(inSweep.map((r) => r.id)));

    // A queued run out of attempts with no job: the reconciler ends it failed, and says so.
    const { id: projectId } = await s.db.db.project.findFirstOrThrow({ where: { team: { slug: team.teamSlug } }, select: { id: true } });
    const exhausted = await s.db.db.run.create({
      data: { projectId, name: 'exhausted', config: { architecture: 'mlp' }, architecture: 'mlp', dataset: 'fashion-mnist', attempt: 5 },
      select: { id: true },
    });
    await s.api.reconcileNow();
    expect(await statusOf()).toEqual({ type: 'status', runId: exhausted.id, attempt: 5, status: 'failed' });
    // Another team heard none of it.
    await expect(others.next(500)).rejects.toThrow(/no event/);
    for (const x of [sub, others, runSub]) x.close();
    await expectListeners(0);
  });
});
