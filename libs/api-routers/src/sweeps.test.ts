// The sweeps router against real Postgres and Redis; the worker's side is played through the
// worker procedures (startRun, reportEpochs, finishRun) with chosen metrics, so the scheduler's
// and Hyperband's decisions can be checked exactly. apps/api/src/sweeps.test.ts trains for real.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRedis, createTrainQueues } from '@hyperzoo/queue';
import { buildSpace, randomAssignment, validateSweep } from '@hyperzoo/sweeps';

import { createContext } from './context';
import type { DomainError } from './errors';
import { createCaller } from './root';
import { reconcileQueuedRuns } from './services/reconcile';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let h: RouterHarness;
let team: Awaited<ReturnType<typeof seedTeam>>;
let user: Awaited<ReturnType<RouterHarness['bearer']>>;
let worker: Awaited<ReturnType<RouterHarness['bearer']>>;

beforeAll(async () => {
  h = await startRouterHarness();
  team = await seedTeam(h.t.db);
  user = await h.bearer(team.apiKey);
  worker = await h.bearer(team.workerToken);
});
afterAll(async () => {
  await h?.close();
});

const BASE = { architectures: ['mlp'], metric: { name: 'val_accuracy' }, dataset: { dataset: 'fashion-mnist', subsetPerClass: 10 } } as const;
const target = () => ({ teamId: team.teamId, resourceClass: 'cpu' as const });
const epoch = (n: number, valAccuracy: number) => ({ epoch: n, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: valAccuracy, lr: 0.01, duration_ms: 5, images_per_sec: 10 });
const result = (status: 'succeeded' | 'failed' | 'cancelled' | 'pruned') => ({
  status,
  bestEpoch: null,
  stoppedEpoch: null,
  testLoss: null,
  testAccuracy: null,
  paramCount: null,
  backend: null,
  device: null,
  error: status === 'failed' ? 'boom' : null,
});

const sweepRuns = (sweepId: string) => h.t.db.run.findMany({ where: { sweepId }, orderBy: [{ createdAt: 'asc' }, { sweepPosition: 'asc' }] });
const active = async (sweepId: string) => (await sweepRuns(sweepId)).filter((r) => r.status === 'queued' || r.status === 'running');

/** Plays a worker: takes the run, reports val_accuracy per epoch (stopping when told to prune), ends it. */
async function train(runId: string, values: number[], status: 'succeeded' | 'failed' = 'succeeded') {
  const { attempt } = await worker.worker.startRun({ runId, backend: 'cpu', device: 'test' });
  for (const [i, v] of values.entries()) {
    const answer = await worker.worker.reportEpochs({ runId, attempt, epochs: [epoch(i + 1, v)] });
    if (answer.pruneRequested) {
      await worker.worker.finishRun({ runId, attempt, result: result('pruned') });
      return 'pruned';
    }
  }
  await worker.worker.finishRun({ runId, attempt, result: result(status) });
  return status;
}

async function refusal(input: { spec?: unknown; yaml?: string }) {
  const err = await user.sweeps.create({ teamSlug: team.teamSlug, ...input }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe('BAD_REQUEST');
  return ((err as TRPCError).cause as DomainError).issues ?? [];
}

describe('sweeps.create refuses impossible specs with the path, and writes nothing; sweeps.preview answers the same issues as data', () => {
  it.each([
    ['an option the architecture lacks', { spec: { ...BASE, name: 'x', method: 'grid', parameters: { denseActivation: { values: ['relu'] } } } }, 'parameters.denseActivation'],
    ['an unknown metric', { spec: { ...BASE, name: 'x', method: 'grid', metric: { name: 'val_f1' } } }, 'metric.name'],
    ['a grid over the cap', { spec: { ...BASE, name: 'x', method: 'grid', parameters: { 'optimizer.learningRate': { distribution: 'q_uniform', min: 0.001, max: 1, q: 0.001 }, batchSize: { values: [16, 32] } } } }, 'parameters'],
    ['malformed YAML', { yaml: 'name: x\nmethod: grid\narchitectures: [mlp\n' }, ''],
    ['neither spec nor yaml', {}, 'spec'],
  ])('%s', async (_what, input, path) => {
    const before = [await h.t.db.sweep.count(), await h.t.db.run.count()];
    const issues = await refusal(input);
    expect(issues.length).toBeGreaterThan(0);
    if (path) expect(issues.map((i) => i.path)).toContain(path);
    else expect(issues[0]?.line).toBeGreaterThan(0);
    expect(await user.sweeps.preview({ teamSlug: team.teamSlug, ...input })).toEqual({ ok: false, issues });
    expect([await h.t.db.sweep.count(), await h.t.db.run.count()]).toEqual(before);
  });

  it('names the grid size over the cap', async () => {
    const issues = await refusal({ spec: { ...BASE, name: 'x', method: 'grid', parameters: { 'optimizer.learningRate': { distribution: 'q_uniform', min: 0.001, max: 1, q: 0.001 }, batchSize: { values: [16, 32] } } } });
    expect(issues[0]?.message).toMatch(/the grid has 2,000 runs .* more than the cap of 1,000/);
  });
});

describe('sweeps.create checks transfer sources like runs.create', () => {
  it("refuses another team's run and a model URL the operator does not allow, and writes nothing", async () => {
    const other = await seedTeam(h.t.db);
    const foreignRun = await (await h.bearer(other.apiKey)).runs.create({ teamSlug: other.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    await h.t.db.run.update({ where: { id: foreignRun.id }, data: { status: 'succeeded' } });
    const transferSpec = (parameters: Record<string, unknown>) => ({ ...BASE, architectures: ['transfer'], name: 'tl', method: 'grid', parameters: { epochs: { value: 1 }, ...parameters } });
    const before = [await h.t.db.sweep.count(), await h.t.db.run.count()];
    const foreign = await user.sweeps.create({ teamSlug: team.teamSlug, spec: transferSpec({ 'transfer.fromRunId': { values: [foreignRun.id] } }) }).catch((e: unknown) => e);
    expect((foreign as TRPCError).code).toBe('NOT_FOUND');
    expect((foreign as TRPCError).message).toBe(`transfer.fromRunId: run ${foreignRun.id} not found`);
    const local = await user.sweeps.create({ teamSlug: team.teamSlug, spec: transferSpec({ 'transfer.modelUrl': { value: 'http://127.0.0.1:9/model.json' } }) }).catch((e: unknown) => e);
    expect((local as TRPCError).code).toBe('BAD_REQUEST');
    expect((local as TRPCError).message).toMatch(/^transfer.modelUrl: not under a URL prefix the operator allows/);
    const known = await user.sweeps.create({ teamSlug: team.teamSlug, spec: transferSpec({ 'transfer.backbone': { values: ['mobilenet'] } }) }).catch((e: unknown) => e);
    expect((known as TRPCError).message).toMatch(/^transfer.backbone: mobilenet loads from https:\/\/storage.googleapis.com\/.*, which is not under a URL prefix the operator allows/);
    expect([await h.t.db.sweep.count(), await h.t.db.run.count()]).toEqual(before);
  });
});

describe('a grid sweep', () => {
  const spec = { ...BASE, name: 'grid', method: 'grid', maxConcurrent: 2, parameters: { dropout: { values: [0, 0.2] }, 'optimizer.name': { values: ['adam', 'sgd'] }, epochs: { value: 2 } } };

  it('writes the sweep and its first maxConcurrent runs, each with its job; fills freed slots; ends finished with its best run', async () => {
    const created = await user.sweeps.create({ teamSlug: team.teamSlug, spec });
    expect(created).toMatchObject({ runs: 4, queued: 2 });
    expect(created.enqueueError).toBeUndefined();
    let runs = await sweepRuns(created.sweepId);
    expect(runs.map((r) => [r.sweepPosition, r.status])).toEqual([[0, 'queued'], [1, 'queued']]);
    for (const r of runs) expect(await h.queues.has(r.id, target())).toBe(true);
    expect(runs.map((r) => r.params)).toEqual([{ dropout: 0, 'optimizer.name': 'adam', epochs: 2 }, { dropout: 0, 'optimizer.name': 'sgd', epochs: 2 }]);

    // Two runs ending at once take two slots, not one twice (the sweep's row lock).
    await Promise.all([train(runs[0]?.id ?? '', [0.5, 0.6]), train(runs[1]?.id ?? '', [0.4, 0.9])]);
    runs = await sweepRuns(created.sweepId);
    expect(runs.map((r) => r.sweepPosition)).toEqual([0, 1, 2, 3]);
    expect((await active(created.sweepId)).length).toBe(2);
    const mid = await user.sweeps.get({ sweepId: created.sweepId });
    expect(mid.status).toBe('running');
    expect(mid.counts).toMatchObject({ succeeded: 2, queued: 2, pruned: 0 });
    expect(mid.best).toEqual({ runId: runs[1]?.id, value: 0.9 });

    await train(runs[2]?.id ?? '', [0.7]);
    await train(runs[3]?.id ?? '', [0.2], 'failed');
    const done = await user.sweeps.get({ sweepId: created.sweepId });
    expect(done.status).toBe('finished');
    expect(done.finishedAt).not.toBeNull();
    expect(done.best).toEqual({ runId: runs[1]?.id, value: 0.9 });
    expect(done.summary?.counts).toMatchObject({ succeeded: 3, failed: 1 });
    expect(done.summary?.bestRuns.map((b) => b.value)).toEqual([0.9, 0.7, 0.6]);
    expect(done.runs.find((r) => r.id === runs[1]?.id)).toMatchObject({ bestValue: 0.9, bestEpoch: 2, repeat: 0, configuration: 1 });
    const stored = await h.t.db.sweep.findUniqueOrThrow({ where: { id: created.sweepId } });
    expect([stored.bestRunId, stored.bestValue]).toEqual([runs[1]?.id, 0.9]);

    const summary = await user.sweeps.summary({ sweepId: created.sweepId });
    expect(summary.marginals.map((m) => m.path).sort()).toEqual(['dropout', 'optimizer.name']);
    const list = await user.sweeps.list({ teamSlug: team.teamSlug, status: 'finished' });
    expect(list.items.find((s) => s.id === created.sweepId)).toMatchObject({ method: 'grid', counts: { succeeded: 3, failed: 1 }, best: { value: 0.9 } });

    // Rerun the failed run: a copy runs, and the sweep finishes again.
    const rerun = await user.sweeps.rerunFailed({ sweepId: created.sweepId });
    expect(rerun).toMatchObject({ status: 'running', created: 1 });
    const copy = (await active(created.sweepId))[0];
    expect(copy).toMatchObject({ configuration: 3, repeat: 0, sweepPosition: null, name: `${runs[3]?.name}-rerun` });
    await train(copy?.id ?? '', [0.3]);
    expect((await user.sweeps.get({ sweepId: created.sweepId })).status).toBe('finished');

    // Adding runs to a finished grid repeats it with new seeds.
    const more = await user.sweeps.addRuns({ sweepId: created.sweepId, runs: 1 });
    expect(more).toMatchObject({ status: 'running', created: 1 });
    const extra = (await active(created.sweepId))[0];
    expect(extra).toMatchObject({ sweepPosition: 4, configuration: 0, repeat: 1 });
    expect((extra?.config as { seed: number }).seed).not.toBe((runs[0]?.config as { seed: number }).seed);
  });

  it('plans the runs after the first ones in the order the spec declares, not the order Postgres stores keys in', async () => {
    // jsonb would store dropout (7 characters) before optimizer.name (14), renumbering the grid.
    const declared = { ...spec, name: 'grid-order', maxConcurrent: 1, parameters: { 'optimizer.name': { values: ['adam', 'sgd'] }, dropout: { values: [0, 0.2] } } };
    const created = await user.sweeps.create({ teamSlug: team.teamSlug, spec: declared });
    for (let i = 0; i < 4; i++) {
      const next = (await active(created.sweepId))[0];
      await train(next?.id ?? '', [0.5]);
    }
    const runs = await sweepRuns(created.sweepId);
    expect(runs.map((r) => r.params)).toEqual([
      { 'optimizer.name': 'adam', dropout: 0 },
      { 'optimizer.name': 'adam', dropout: 0.2 },
      { 'optimizer.name': 'sgd', dropout: 0 },
      { 'optimizer.name': 'sgd', dropout: 0.2 },
    ]);
    expect((await user.sweeps.get({ sweepId: created.sweepId })).spec).toMatchObject({ parameters: declared.parameters });
  });

  it('previews the runs, with a time estimate once the team has measured epochs of such runs', async () => {
    const preview = await user.sweeps.preview({ teamSlug: team.teamSlug, spec });
    if (!preview.ok) throw new Error(`preview refused the spec: ${JSON.stringify(preview.issues)}`);
    expect(preview).toMatchObject({ runs: 4, configurations: 4, method: 'grid', maxConcurrent: 2 });
    // The runs above: 5 ms epochs, 2 epochs a run, 4 runs, 2 at a time.
    expect(preview.estimate?.seconds).toBeCloseTo(0.02, 5);
    expect(preview.estimate?.basis).toMatch(/measured epochs of finished mlp runs on the same data/);
    const other = await seedTeam(h.t.db);
    const fresh = await (await h.bearer(other.apiKey)).sweeps.preview({ teamSlug: other.teamSlug, yaml: 'name: y\nmethod: grid\narchitectures: [mlp]\nmetric: { name: val_accuracy }\n' });
    expect(fresh).toMatchObject({ ok: true, runs: 1, estimate: null });
  });

  it('answers the same sweep for the same idempotency key', async () => {
    const a = await user.sweeps.create({ teamSlug: team.teamSlug, spec, idempotencyKey: 'k-1' });
    const b = await user.sweeps.create({ teamSlug: team.teamSlug, spec, idempotencyKey: 'k-1' });
    expect(b.sweepId).toBe(a.sweepId);
    expect((await sweepRuns(a.sweepId)).length).toBe(2);
  });
});

describe('random and TPE', () => {
  it('a seeded random sweep proposes the same runs twice', async () => {
    const spec = { ...BASE, name: 'random', method: 'random', seed: 7, maxRuns: 6, maxConcurrent: 6, parameters: { dropout: { distribution: 'uniform', min: 0, max: 0.5 }, 'optimizer.learningRate': { distribution: 'log_uniform', min: 0.0001, max: 0.1 } } };
    const a = await user.sweeps.create({ teamSlug: team.teamSlug, spec });
    const b = await user.sweeps.create({ teamSlug: team.teamSlug, spec });
    const paramsOf = async (id: string) => (await sweepRuns(id)).map((r) => [r.params, (r.config as { seed: number }).seed]);
    expect(await paramsOf(a.sweepId)).toHaveLength(6);
    expect(await paramsOf(b.sweepId)).toEqual(await paramsOf(a.sweepId));
    const other = await user.sweeps.create({ teamSlug: team.teamSlug, spec: { ...spec, seed: 8 } });
    expect(await paramsOf(other.sweepId)).not.toEqual(await paramsOf(a.sweepId));
  });

  it('TPE proposes each run from the results so far, the same way on a replay', async () => {
    const N = 12;
    const spec = { ...BASE, name: 'tpe', method: 'tpe', seed: 3, maxRuns: N, maxConcurrent: 1, tpe: { startupTrials: 4 }, parameters: { dropout: { distribution: 'uniform', min: 0, max: 0.5 } } };
    const checked = validateSweep(spec);
    if (!checked.ok) throw new Error('spec');
    const space = buildSpace(checked.spec);
    // Stored JSON keeps 16 significant digits.
    const round = (xs: unknown[]) => xs.map((x) => Number((x as number).toPrecision(12)));
    /** Runs the sweep with an objective peaking at `peak`; returns the dropout of each run in order. */
    async function play(peak: number) {
      const { sweepId } = await user.sweeps.create({ teamSlug: team.teamSlug, spec });
      const proposed: number[] = [];
      for (let i = 0; i < N; i++) {
        const [run] = await active(sweepId);
        if (!run) throw new Error(`no run ${i}`);
        const dropout = (run.params as { dropout: number }).dropout;
        proposed.push(dropout);
        await train(run.id, [1 - Math.abs(dropout - peak)]);
      }
      expect((await user.sweeps.get({ sweepId })).status).toBe('finished');
      return round(proposed);
    }
    const low = await play(0.05);
    const high = await play(0.45);
    const randomOnly = round(Array.from({ length: N }, (_, i) => randomAssignment(space, 3, i).values.dropout));
    // Start-up trials are the random search's configurations; after them the results steer the proposals.
    expect(low.slice(0, 4)).toEqual(randomOnly.slice(0, 4));
    expect(high.slice(0, 4)).toEqual(randomOnly.slice(0, 4));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(low.slice(4))).toBeLessThan(mean(high.slice(4)));
    expect(await play(0.05)).toEqual(low);
  });
});

describe('Hyperband', () => {
  it('cuts a run below its rung cut-off, records rung and cut-off, answers a replay the same', async () => {
    const spec = { ...BASE, name: 'hb', method: 'grid', maxConcurrent: 3, parameters: { dropout: { values: [0, 0.1, 0.2] }, epochs: { value: 4 } }, earlyTermination: { type: 'hyperband', minEpochs: 1, eta: 2 } };
    const { sweepId } = await user.sweeps.create({ teamSlug: team.teamSlug, spec });
    const [good, bad, better] = await sweepRuns(sweepId);
    const start = await worker.worker.startRun({ runId: good?.id ?? '', backend: 'cpu', device: 'test' });
    expect(start.rungEpochs).toEqual([1, 2]);
    const first = await worker.worker.reportEpochs({ runId: good?.id ?? '', attempt: start.attempt, epochs: [epoch(1, 0.8)] });
    expect(first).toMatchObject({ pruneRequested: false });

    const b = await worker.worker.startRun({ runId: bad?.id ?? '', backend: 'cpu', device: 'test' });
    const cut = await worker.worker.reportEpochs({ runId: bad?.id ?? '', attempt: b.attempt, epochs: [epoch(1, 0.3)] });
    expect(cut).toMatchObject({ pruneRequested: true, rung: 0, cutoff: 0.8 });
    expect(await worker.worker.reportEpochs({ runId: bad?.id ?? '', attempt: b.attempt, epochs: [epoch(1, 0.3)] })).toMatchObject({ pruneRequested: true, rung: 0, cutoff: 0.8 });
    await worker.worker.finishRun({ runId: bad?.id ?? '', attempt: b.attempt, result: result('pruned') });
    expect(await user.runs.get({ runId: bad?.id ?? '' })).toMatchObject({ status: 'pruned', prunedRung: 0, prunedCutoff: 0.8 });

    // A run better than the cut-off goes on; the sweep lists the pruned run with its rung.
    expect(await train(better?.id ?? '', [0.9, 0.95, 0.96, 0.97])).toBe('succeeded');
    const got = await user.sweeps.get({ sweepId });
    expect(got.counts).toMatchObject({ pruned: 1, succeeded: 1, running: 1 });
    expect(got.runs.find((r) => r.id === bad?.id)).toMatchObject({ status: 'pruned', prunedRung: 0, prunedCutoff: 0.8 });
  });
});

describe('pause, resume, cancel', () => {
  const spec = { ...BASE, name: 'ctl', method: 'grid', maxConcurrent: 2, parameters: { dropout: { values: [0, 0.1, 0.2, 0.3] }, epochs: { value: 2 } } };

  it('pause keeps queued runs out of the queue (and workers off them), resume gives them back, cancel ends the sweep', async () => {
    const { sweepId } = await user.sweeps.create({ teamSlug: team.teamSlug, spec });
    const [running, waiting] = await sweepRuns(sweepId);
    const { attempt } = await worker.worker.startRun({ runId: running?.id ?? '', backend: 'cpu', device: 'test' });

    expect(await user.sweeps.pause({ sweepId })).toMatchObject({ status: 'paused' });
    expect(await h.queues.has(waiting?.id ?? '', target())).toBe(false);
    await reconcileQueuedRuns({ db: h.t.db, queues: h.queues, live: h.live });
    expect(await h.queues.has(waiting?.id ?? '', target())).toBe(false);
    await expect(worker.worker.startRun({ runId: waiting?.id ?? '', backend: 'cpu', device: 'test' })).rejects.toThrow(/its sweep is paused/);
    // The running run finishes; no new run starts while paused.
    await worker.worker.reportEpochs({ runId: running?.id ?? '', attempt, epochs: [epoch(1, 0.5)] });
    await worker.worker.finishRun({ runId: running?.id ?? '', attempt, result: result('succeeded') });
    expect((await sweepRuns(sweepId)).length).toBe(2);

    expect(await user.sweeps.resume({ sweepId })).toMatchObject({ status: 'running', created: 1 });
    expect(await h.queues.has(waiting?.id ?? '', target())).toBe(true);
    const [, , third] = await sweepRuns(sweepId);
    const t3 = await worker.worker.startRun({ runId: third?.id ?? '', backend: 'cpu', device: 'test' });

    expect(await user.sweeps.cancel({ sweepId })).toMatchObject({ status: 'cancelled' });
    expect((await h.t.db.run.findUniqueOrThrow({ where: { id: waiting?.id ?? '' } })).status).toBe('cancelled');
    expect(await h.queues.has(waiting?.id ?? '', target())).toBe(false);
    const told = await worker.worker.reportEpochs({ runId: third?.id ?? '', attempt: t3.attempt, epochs: [epoch(1, 0.4)] });
    expect(told.cancelRequested).toBe(true);
    expect((await user.sweeps.get({ sweepId })).summary).toBeNull();
    await worker.worker.finishRun({ runId: third?.id ?? '', attempt: t3.attempt, result: result('cancelled') });
    const ended = await user.sweeps.get({ sweepId });
    expect(ended).toMatchObject({ status: 'cancelled', counts: { succeeded: 1, cancelled: 2 }, best: { runId: running?.id, value: 0.5 } });
    expect(ended.summary?.counts.cancelled).toBe(2);
    expect((await sweepRuns(sweepId)).length).toBe(3);
    await expect(user.sweeps.addRuns({ sweepId, runs: 1 })).rejects.toThrow(/is cancelled; cannot add runs/);
  });
});

describe('Redis down during create', () => {
  it('answers at once with a clear error; the runs wait queued in the database and the reconciler enqueues them', async () => {
    const dead = createRedis('redis://127.0.0.1:1', 'producer', { retryStrategy: () => null });
    dead.on('error', () => undefined);
    const deadQueues = createTrainQueues(dead, h.prefix);
    try {
      const ctx = await createContext({ ...h.deps, queues: deadQueues }, { headers: { authorization: `Bearer ${team.apiKey}` } }, () => undefined);
      const t0 = Date.now();
      const created = await createCaller(ctx).sweeps.create({ teamSlug: team.teamSlug, spec: { ...BASE, name: 'no-redis', method: 'grid', maxConcurrent: 3, parameters: { dropout: { values: [0, 0.1, 0.2] } } } });
      expect(Date.now() - t0).toBeLessThan(6_000);
      expect(created).toMatchObject({ runs: 3, queued: 3 });
      expect(created.enqueueError).toMatch(/the queue is unreachable .*: 3 runs wait in the database, queued; the reconciler hands them to the workers when it is back/);
      const runs = await sweepRuns(created.sweepId);
      expect(runs.map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
      await reconcileQueuedRuns({ db: h.t.db, queues: h.queues, live: h.live });
      for (const r of runs) expect(await h.queues.has(r.id, target())).toBe(true);
    } finally {
      await deadQueues.close().catch(() => undefined);
      dead.disconnect();
    }
  });
});
