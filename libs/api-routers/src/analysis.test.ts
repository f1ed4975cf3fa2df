import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { analyzeCurve, curveFromRecords } from '@hyperzoo/analysis';
import type { DbClient } from '@hyperzoo/db';
import { createTestDatabase, type TestDatabase } from '@hyperzoo/db/testing';
import { createPredictQueues, createRedis, createTrainQueues, type PredictQueues, type TrainQueues } from '@hyperzoo/queue';
import { ZRunConfig, type TRunConfigInput, type TRunStatus } from '@hyperzoo/schemas';

import { createContext } from './context';
import { createCaller } from './root';
import { createLiveHub, type LiveHub } from './services/live-hub';
import { createLoginLimiter, DEFAULT_LOGIN_LIMITS } from './services/login-limit';
import { seedTeam } from './testing/seed';

const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID().slice(0, 8)}-`;
let t: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let queues: TrainQueues;
let predictions: PredictQueues;
let subscriber: ReturnType<typeof createRedis>;
let live: LiveHub;

beforeAll(async () => {
  t = await createTestDatabase();
  redis = createRedis(REDIS_URL, 'producer');
  queues = createTrainQueues(redis, prefix);
  predictions = createPredictQueues(redis, prefix);
  subscriber = createRedis(REDIS_URL, 'subscriber');
  live = createLiveHub({ subscriber, db: t.db, prefix });
});
afterAll(async () => {
  await queues.close();
  await predictions.close();
  await live.close();
  subscriber.disconnect();
  redis.disconnect();
  await t.drop();
});

const caller = async (apiKey: string) => createCaller(await createContext({ db: t.db, queues, predictions, predictTimeoutMs: 5_000, live, loginLimiter: createLoginLimiter(redis, DEFAULT_LOGIN_LIMITS, prefix), policy: { signUp: false, modelUrlPrefixes: [], platformPoolTeamId: null } }, { headers: { authorization: `Bearer ${apiKey}` } }, () => undefined));

/** [loss, val_loss, val_accuracy] per epoch; a null val_loss is how the platform stores a NaN one. */
type TPoint = [number, number | null, number];

async function seedRun(db: DbClient, projectId: string, config: TRunConfigInput, points: TPoint[], opts: { paramCount: number; status?: TRunStatus }) {
  const parsed = ZRunConfig.parse(config);
  const run = await db.run.create({
    data: { projectId, name: `r-${randomUUID().slice(0, 6)}`, config: parsed, architecture: parsed.architecture, dataset: parsed.data.dataset, status: opts.status ?? 'succeeded', paramCount: opts.paramCount },
    select: { id: true },
  });
  await db.epochMetric.createMany({
    data: points.map(([loss, valLoss, valAccuracy], i) => ({ runId: run.id, epoch: i + 1, loss, valLoss, valAccuracy, accuracy: 0.5, durationMs: 1000 })),
  });
  return run.id;
}

describe('analysis procedures', () => {
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  const ids: Record<string, string> = {};
  const u: TPoint[] = [
    [1.0, 1.0, 0.5],
    [0.8, 0.5, 0.8],
    [0.6, 0.6, 0.7],
    [0.4, 0.7, 0.6],
  ];

  beforeAll(async () => {
    team = await seedTeam(t.db);
    other = await seedTeam(t.db);
    const project = await t.db.project.create({ data: { teamId: team.teamId, slug: 'zoo', name: 'zoo' }, select: { id: true } });
    ids.lenetA = await seedRun(t.db, project.id, { architecture: 'lenet5', optimizer: { name: 'adam' } }, u, { paramCount: 100 });
    ids.lenetB = await seedRun(t.db, project.id, { architecture: 'lenet5', optimizer: { name: 'sgd' } }, [[1.0, 1.0, 0.5], [0.8, 0.8, 0.6], [0.6, 0.6, 0.9], [0.5, null, 0.85]], { paramCount: 100 });
    ids.mlp = await seedRun(t.db, project.id, { architecture: 'mlp' }, [[1.0, 1.0, 0.4], [0.9, 0.9, 0.5]], { paramCount: 50 });
    ids.running = await seedRun(t.db, project.id, { architecture: 'mlp' }, [[1.0, 1.0, 0.4]], { paramCount: 50, status: 'running' });
    const second = await t.db.project.create({ data: { teamId: team.teamId, slug: 'second', name: 'second' }, select: { id: true } });
    ids.second = await seedRun(t.db, second.id, { architecture: 'mlp' }, u, { paramCount: 50 });
    const foreign = await t.db.project.create({ data: { teamId: other.teamId, slug: 'zoo', name: 'zoo' }, select: { id: true } });
    ids.foreign = await seedRun(t.db, foreign.id, { architecture: 'mlp' }, u, { paramCount: 50 });
  });

  it('analysis.run: the library on the recorded epochs, with the options given', async () => {
    const api = await caller(team.apiKey);
    const r = await api.analysis.run({ runId: ids.lenetA as string, options: { patience: 1, restoreBestWeights: true } });
    expect(r.run).toMatchObject({ id: ids.lenetA, architecture: 'lenet5', paramCount: 100, status: 'succeeded' });
    const expected = analyzeCurve(
      curveFromRecords(u.map(([loss, val_loss, val_accuracy]) => ({ loss, val_loss, val_accuracy, accuracy: 0.5, duration_ms: 1000 }))),
      { patience: 1, restoreBestWeights: true },
    );
    expect(r.analysis).toEqual(expected);
    expect(r.analysis).toMatchObject({ bestEpoch: 2, stoppedEpoch: 3, onsetEpoch: 2, bestValAccuracy: 0.8 });
    expect(r.analysis.counterfactual.map((c) => c.stoppedEpoch)).toEqual([3, 3, 4, null]);
    expect(r.analysis.keep99).toEqual({ patience: 0, stoppedEpoch: 3, epochsSaved: 1, secondsSaved: 1 });
  });

  it('reads a stored null amid values as a non-finite value (counts toward patience), like the trainer saw it', async () => {
    const r = await (await caller(team.apiKey)).analysis.run({ runId: ids.lenetB as string, options: { patience: 0 } });
    // val_loss 1.0, 0.8, 0.6 improve; epoch 4 was NaN: stop there.
    expect(r.analysis).toMatchObject({ stoppedEpoch: 4, bestEpoch: 3 });
  });

  it('analysis.runs groups by architecture (or any setting), with mean, sd and count, ordered by size', async () => {
    const api = await caller(team.apiKey);
    const r = await api.analysis.runs({ teamSlug: team.teamSlug, runIds: [ids.lenetA, ids.lenetB, ids.mlp] as string[] });
    expect(r.runs.map((x) => x.run.id)).toEqual([ids.lenetA, ids.lenetB, ids.mlp]);
    expect(r.runs[0]?.analysis).not.toHaveProperty('counterfactual');
    expect(r.groups.map((g) => [g.key, g.runs])).toEqual([['mlp', 1], ['lenet5', 2]]);
    expect(r.groups[1]).toMatchObject({ bestEpoch: { mean: 2.5, count: 2 }, onsetEpoch: { mean: 2.5, count: 2 } });
    expect(r.groups[1]?.bestValAccuracy.mean).toBeCloseTo(0.85, 12);
    const byOptimizer = await api.analysis.runs({ teamSlug: team.teamSlug, runIds: [ids.lenetA, ids.lenetB] as string[], groupBy: 'optimizer' });
    expect(byOptimizer.groups.map((g) => g.key).sort()).toEqual(['adam', 'sgd']);
  });

  it('analysis.project takes the succeeded runs by default', async () => {
    const api = await caller(team.apiKey);
    const r = await api.analysis.project({ teamSlug: team.teamSlug, projectSlug: 'zoo' });
    expect(r.runs.map((x) => x.run.id).sort()).toEqual([ids.lenetA, ids.lenetB, ids.mlp].sort());
    const all = await api.analysis.project({ teamSlug: team.teamSlug, projectSlug: 'zoo', statuses: ['succeeded', 'running'] });
    expect(all.runs).toHaveLength(4);
    await expect(api.analysis.project({ teamSlug: team.teamSlug, projectSlug: 'nope' })).rejects.toThrow(/project "nope" not found/);
  });

  it('analysis.project with no project takes every project of the team, and no other team\'s', async () => {
    const api = await caller(team.apiKey);
    const r = await api.analysis.project({ teamSlug: team.teamSlug });
    expect(r.runs.map((x) => x.run.id).sort()).toEqual([ids.lenetA, ids.lenetB, ids.mlp, ids.second].sort());
  });

  it('another team’s runs and projects answer "not found"', async () => {
    const api = await caller(team.apiKey);
    await expect(api.analysis.run({ runId: ids.foreign as string })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.analysis.runs({ teamSlug: team.teamSlug, runIds: [ids.lenetA, ids.foreign] as string[] })).rejects.toThrow(`run ${ids.foreign} not found`);
    await expect(api.analysis.project({ teamSlug: other.teamSlug, projectSlug: 'zoo' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses bad options with the zod path', async () => {
    const api = await caller(team.apiKey);
    const err = await api.analysis.run({ runId: ids.lenetA as string, options: { patience: -1 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify((err as { cause?: unknown }).cause)).toContain('patience');
    await expect(api.analysis.run({ runId: ids.lenetA as string, options: { monitor: 'val_auc' as 'val_loss' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
