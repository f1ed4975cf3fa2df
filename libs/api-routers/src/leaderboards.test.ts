import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedMember, seedTeam } from './testing/seed';

let h: RouterHarness;
let a: Awaited<ReturnType<typeof seedTeam>>;
let user: Awaited<ReturnType<RouterHarness['bearer']>>;
const result = { status: 'succeeded' as const, bestEpoch: null, stoppedEpoch: null, testLoss: null, paramCount: 42, backend: null, device: null, error: null };

/** An ended SDK run: one epoch with this val_accuracy, and this test accuracy (or none). */
async function run(architecture: 'mlp' | 'lenet5' | 'alexnet', valAccuracy: number, testAccuracy: number | null, dataset: 'mnist' | 'fashion-mnist' = 'mnist') {
  const r = await user.sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config: { architecture, epochs: 1, data: { dataset } } });
  await user.sdk.logEpochs({ runId: r.id, epochs: [{ epoch: 1, loss: 0.3, accuracy: 0.95, val_loss: 0.4, val_accuracy: valAccuracy, lr: null, duration_ms: 1, images_per_sec: null }] });
  await user.sdk.finishRun({ runId: r.id, result: { ...result, testAccuracy } });
  return r.id;
}

let mlpBest: string;
let mlpOther: string;
let lenetNoTest: string;
let alexnet: string;
beforeAll(async () => {
  h = await startRouterHarness();
  a = await seedTeam(h.t.db);
  user = await h.bearer(a.apiKey);
  mlpBest = await run('mlp', 0.9, 0.91);
  mlpOther = await run('mlp', 0.8, 0.85);
  lenetNoTest = await run('lenet5', 0.95, null);
  alexnet = await run('alexnet', 0.5, 0.6);
  await run('alexnet', 0.99, 0.99, 'fashion-mnist');
});
afterAll(async () => {
  await h?.close();
});

describe('leaderboards', () => {
  it('ranks one row per architecture by test accuracy, falling back to val_accuracy, with gap and params', async () => {
    const board = await user.leaderboards.get({ teamSlug: a.teamSlug, dataset: 'mnist' });
    expect(board.rows.map((r) => [r.runId, r.score, r.scoreFrom, r.runs])).toEqual([
      [lenetNoTest, 0.95, 'validation', 1],
      [mlpBest, 0.91, 'test', 2],
      [alexnet, 0.6, 'test', 1],
    ]);
    expect(board.rows[1]).toMatchObject({ rank: 2, architecture: 'mlp', paramCount: 42, gapAccuracy: expect.closeTo(0.05, 10) as number, pinned: false });
  });

  it('shows pins first, to every member of the team, and per architecture the pinned run stands for it', async () => {
    await user.leaderboards.pin({ runId: mlpOther });
    const viewer = (await h.callerFor({ cookie: (await seedMember(h.t.db, a.teamId, 'viewer')).cookie })).caller;
    const byRun = await viewer.leaderboards.get({ teamSlug: a.teamSlug, dataset: 'mnist', by: 'run' });
    expect(byRun.rows.map((r) => r.runId)).toEqual([mlpOther, lenetNoTest, mlpBest, alexnet]);
    const byArch = await viewer.leaderboards.get({ teamSlug: a.teamSlug, dataset: 'mnist' });
    expect(byArch.rows.map((r) => [r.runId, r.pinned])).toEqual([
      [mlpOther, true],
      [lenetNoTest, false],
      [alexnet, false],
    ]);
    await user.leaderboards.unpin({ runId: mlpOther });
    expect((await viewer.leaderboards.get({ teamSlug: a.teamSlug, dataset: 'mnist' })).rows[1]?.runId).toBe(mlpBest);
  });

  it('leaves out deleted runs', async () => {
    await user.runs.delete({ runId: lenetNoTest });
    const board = await user.leaderboards.get({ teamSlug: a.teamSlug, dataset: 'mnist', by: 'run', metric: 'val_accuracy' });
    expect(board.rows.map((r) => r.runId)).toEqual([mlpBest, mlpOther, alexnet]);
    expect(board.rows.every((r) => r.scoreFrom === 'validation')).toBe(true);
    await user.runs.restore({ runId: lenetNoTest });
  });
});
