import { randomUUID } from 'node:crypto';

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let h: RouterHarness;
let a: Awaited<ReturnType<typeof seedTeam>>;
let b: Awaited<ReturnType<typeof seedTeam>>;
beforeAll(async () => {
  h = await startRouterHarness();
  a = await seedTeam(h.t.db);
  b = await seedTeam(h.t.db);
});
afterAll(async () => {
  await h?.close();
});

const epoch = (n: number, loss: number) => ({ epoch: n, loss, accuracy: 0.5, val_loss: n === 3 ? 9 : loss + 0.1, val_accuracy: null, lr: null, duration_ms: 1, images_per_sec: null });

describe('runs.compare', () => {
  it('gives each run’s curves (downsampled with LTTB past maxPoints, keeping the extremes) and only the config keys that differ', async () => {
    const user = await h.bearer(a.apiKey);
    const long = await user.sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config: { architecture: 'mlp', epochs: 200, optimizer: { name: 'adam', learningRate: 0.001 } } });
    const short = await user.sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config: { architecture: 'mlp', epochs: 200, optimizer: { name: 'sgd', learningRate: 0.01 } } });
    await user.sdk.logEpochs({ runId: long.id, epochs: Array.from({ length: 200 }, (_, i) => epoch(i + 1, 1 / (i + 1))) });
    await user.sdk.logEpochs({ runId: short.id, epochs: [epoch(1, 2), epoch(2, 1)] });

    const out = await user.runs.compare({ teamSlug: a.teamSlug, runIds: [long.id, short.id], metrics: ['loss', 'val_loss', 'val_accuracy'], maxPoints: 20 });
    expect(out.runs.map((r) => r.id)).toEqual([long.id, short.id]);
    const [longRun, shortRun] = out.runs;
    expect(longRun?.curves.loss?.epochs).toHaveLength(20);
    expect(longRun?.curves.loss?.values).toHaveLength(20);
    expect([longRun?.curves.loss?.epochs[0], longRun?.curves.loss?.values[0]]).toEqual([1, 1]);
    expect([longRun?.curves.loss?.epochs.at(-1), longRun?.curves.loss?.values.at(-1)]).toEqual([200, 1 / 200]);
    // The spike at epoch 3 survives downsampling: LTTB keeps the shape, not every nth point.
    const spike = longRun?.curves.val_loss?.epochs.indexOf(3) ?? -1;
    expect(spike).toBeGreaterThanOrEqual(0);
    expect(longRun?.curves.val_loss?.values[spike]).toBe(9);
    // A metric never reported is an empty curve; under the budget nothing is dropped, values exact.
    expect(longRun?.curves.val_accuracy).toEqual({ epochs: [], values: [] });
    expect(shortRun?.curves.loss).toEqual({ epochs: [1, 2], values: [2, 1] });
    const full = await user.runs.compare({ teamSlug: a.teamSlug, runIds: [long.id], metrics: ['loss'], maxPoints: 500 });
    expect(full.runs[0]?.curves.loss).toEqual({ epochs: Array.from({ length: 200 }, (_, i) => i + 1), values: Array.from({ length: 200 }, (_, i) => 1 / (i + 1)) });
    expect(out.configDiff).toEqual({ 'optimizer.learningRate': [0.001, 0.01], 'optimizer.name': ['adam', 'sgd'] });
  });

  it('answers NOT_FOUND when any run is another team’s, as for a missing one', async () => {
    const own = await (await h.bearer(a.apiKey)).sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config: { architecture: 'mlp' } });
    const foreign = await (await h.bearer(b.apiKey)).sdk.createRun({ teamSlug: b.teamSlug, runId: randomUUID(), config: { architecture: 'mlp' } });
    const user = await h.bearer(a.apiKey);
    const err = await user.runs.compare({ teamSlug: a.teamSlug, runIds: [own.id, foreign.id], metrics: ['loss'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('NOT_FOUND');
    expect((err as TRPCError).message).toBe(`run ${foreign.id} not found`);
  });
});
