import { randomUUID } from 'node:crypto';

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
const result = { status: 'succeeded' as const, bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: null, backend: null, device: null, error: null };

let h: RouterHarness;
let a: Awaited<ReturnType<typeof seedTeam>>;
let b: Awaited<ReturnType<typeof seedTeam>>;
let user: Awaited<ReturnType<RouterHarness['bearer']>>;
/** Ended runs of team A: val_accuracy peaks at epoch 2 (the best by val_loss) with the given values. */
const ended: { id: string; valAccuracy: number; optimizer: string; params: number }[] = [];

async function endedRun(valAccuracy: number, optimizer: 'adam' | 'sgd', params: number, architecture: 'mlp' | 'lenet5' = 'mlp') {
  const run = await user.sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config: { architecture, epochs: 3, optimizer: { name: optimizer, learningRate: 0.01 } } });
  const epoch = (n: number, loss: number, valLoss: number, va: number) => ({ epoch: n, loss, accuracy: 0.9, val_loss: valLoss, val_accuracy: va, lr: null, duration_ms: 100, images_per_sec: null });
  await user.sdk.logEpochs({ runId: run.id, epochs: [epoch(1, 1, 1.2, valAccuracy - 0.1), epoch(2, 0.5, 0.7, valAccuracy), epoch(3, 0.2, 0.9, valAccuracy - 0.05)] });
  await user.sdk.finishRun({ runId: run.id, result: { ...result, paramCount: params } });
  ended.push({ id: run.id, valAccuracy, optimizer, params });
  return run.id;
}

beforeAll(async () => {
  h = await startRouterHarness();
  a = await seedTeam(h.t.db);
  b = await seedTeam(h.t.db);
  user = await h.bearer(a.apiKey);
  await endedRun(0.8, 'adam', 1000);
  await endedRun(0.6, 'sgd', 500);
  await endedRun(0.7, 'adam', 2000, 'lenet5');
  await endedRun(0.7, 'sgd', 800);
  await endedRun(0.5, 'adam', 100);
  // One run of team B that must never show up for A.
  await (await h.bearer(b.apiKey)).sdk.createRun({ teamSlug: b.teamSlug, runId: randomUUID(), config: { architecture: 'mlp', epochs: 1 } });
});
afterAll(async () => {
  await h?.close();
});

describe('the stored summary', () => {
  it('holds the best epoch (Keras best by val_loss), the values and the gap there, time and epochs', async () => {
    const run = await h.t.db.run.findUniqueOrThrow({ where: { id: ended[0]?.id } });
    expect(run).toMatchObject({ bestEpoch: 2, bestValAccuracy: 0.8, bestValLoss: 0.7, bestAccuracy: 0.9, bestLoss: 0.5, durationMs: 300, epochsDone: 3, paramCount: 1000 });
    expect(run.gapLoss).toBeCloseTo(0.2, 12);
    expect(run.gapAccuracy).toBeCloseTo(0.1, 12);
  });

  it('is stored for a queued run cancelled before it started: no epochs', async () => {
    const run = await user.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    expect(await user.runs.cancel({ runId: run.id })).toMatchObject({ status: 'cancelled', epochsDone: 0, bestEpoch: null, bestValAccuracy: null });
    await user.runs.delete({ runId: run.id });
  });
});

describe('runs.list', () => {
  const all = () => user.runs.list({ teamSlug: a.teamSlug, sort: 'val_accuracy', order: 'desc', limit: 100 });

  it('sorts by a summary metric, ties broken by id, and pages with a stable keyset cursor', async () => {
    const full = await all();
    expect(full.runs.map((r) => r.bestValAccuracy)).toEqual([0.8, 0.7, 0.7, 0.6, 0.5]);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await user.runs.list({ teamSlug: a.teamSlug, sort: 'val_accuracy', order: 'desc', limit: 2, cursor });
      pages.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual(full.runs.map((r) => r.id));
    const asc = await user.runs.list({ teamSlug: a.teamSlug, sort: 'params', order: 'asc' });
    expect(asc.runs.map((r) => r.paramCount)).toEqual([100, 500, 800, 1000, 2000]);
  });

  it('puts runs without the sort value (still running) after the others, on every page', async () => {
    const running = await user.sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config: { architecture: 'mlp', epochs: 1 } });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await user.runs.list({ teamSlug: a.teamSlug, sort: 'gap_loss', order: 'asc', limit: 4, cursor });
      ids.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toHaveLength(6);
    expect(ids.at(-1)).toBe(running.id);
    await user.runs.delete({ runId: running.id });
  });

  it('filters by status, architecture, config key, metric thresholds and tag', async () => {
    const ids = async (filters: object) => (await user.runs.list({ teamSlug: a.teamSlug, sort: 'val_accuracy', ...filters })).runs.map((r) => r.id).sort();
    const expected = (pred: (r: (typeof ended)[number]) => boolean) => ended.filter(pred).map((r) => r.id).sort();
    expect(await ids({ config: { 'optimizer.name': 'adam' } })).toEqual(expected((r) => r.optimizer === 'adam'));
    expect(await ids({ config: { 'optimizer.name': 'adam', epochs: 3 }, metrics: { val_accuracy: { gte: 0.7 } } })).toEqual(expected((r) => r.optimizer === 'adam' && r.valAccuracy >= 0.7));
    expect(await ids({ architecture: ['lenet5'] })).toEqual(expected((r) => r.params === 2000));
    expect(await ids({ metrics: { params: { gte: 500, lte: 1000 } } })).toEqual(expected((r) => r.params >= 500 && r.params <= 1000));
    expect(await ids({ status: ['running', 'queued'] })).toEqual([]);
    expect(await ids({ status: ['succeeded'], dataset: 'fashion-mnist' })).toEqual(expected(() => true));

    const tagged = ended[1]?.id ?? '';
    expect(await user.runs.update({ runId: tagged, tags: ['baseline', 'baseline', 'sgd'], notes: 'lr too high' })).toMatchObject({ tags: ['baseline', 'sgd'], notes: 'lr too high' });
    expect(await ids({ tag: 'baseline' })).toEqual([tagged]);
    expect(await user.runs.update({ runId: tagged, notes: null, name: 'renamed' })).toMatchObject({ tags: ['baseline', 'sgd'], notes: null, name: 'renamed' });
  });

  it('refuses bad filters with the path of the field', async () => {
    const err = (await user.runs.list({ teamSlug: a.teamSlug, config: { "x'); drop table": 1 } }).catch((e: unknown) => e)) as TRPCError;
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/config/);
    expect(await codeOf(user.runs.list({ teamSlug: a.teamSlug, cursor: 'nonsense' }))).toBe('BAD_REQUEST');
    expect(await codeOf(user.runs.list({ teamSlug: a.teamSlug, metrics: { val_accuracy: {} } }))).toBe('BAD_REQUEST');
    expect(await codeOf(user.runs.update({ runId: ended[0]?.id ?? '', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }))).toBe('BAD_REQUEST');
  });

  it('hides soft-deleted runs from the list and compare until restored; includeDeleted shows them', async () => {
    const gone = ended[4]?.id ?? '';
    expect((await user.runs.delete({ runId: gone })).deletedAt).toBeInstanceOf(Date);
    expect((await all()).runs.map((r) => r.id)).not.toContain(gone);
    expect((await user.runs.list({ teamSlug: a.teamSlug, includeDeleted: true })).runs.map((r) => r.id)).toContain(gone);
    expect(await codeOf(user.runs.compare({ teamSlug: a.teamSlug, runIds: [gone], metrics: ['loss'] }))).toBe('NOT_FOUND');
    expect(await h.t.db.run.count({ where: { id: gone } })).toBe(1);
    expect((await user.runs.restore({ runId: gone })).deletedAt).toBeNull();
    expect((await all()).runs.map((r) => r.id)).toContain(gone);
  });
});
