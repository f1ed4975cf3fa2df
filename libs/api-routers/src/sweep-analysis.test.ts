import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';
import { seedOverfitSweep } from './testing/sweep';

let h: RouterHarness;

beforeAll(async () => {
  h = await startRouterHarness();
});
afterAll(async () => {
  await h.close();
});

const caller = (apiKey: string) => h.bearer(apiKey);

describe('analysis.sweep', () => {
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let other: Awaited<ReturnType<typeof seedTeam>>;
  let seeded: Awaited<ReturnType<typeof seedOverfitSweep>>;

  beforeAll(async () => {
    team = await seedTeam(h.t.db);
    other = await seedTeam(h.t.db);
    const project = await h.t.db.project.create({ data: { teamId: team.teamId, slug: 'zoo', name: 'zoo' }, select: { id: true } });
    // 2 architectures x 2 dropouts x 2 activations x 2 repeats; the first run still queued.
    seeded = await seedOverfitSweep(h.t.db, project.id, { queued: 1 });
  });

  it('a table per architecture over the succeeded runs, ordered by size: best val accuracy, gap at best, onset, the 99% patience', async () => {
    const api = await caller(team.apiKey);
    const r = await api.analysis.sweep({ sweepId: seeded.sweepId });
    expect(r.sweep).toMatchObject({ id: seeded.sweepId, name: 'dropout-overfits', metric: { name: 'val_accuracy', goal: 'maximize' } });
    expect(r.runs.map((x) => x.run.id)).toEqual(seeded.runIds.slice(1));
    expect(r.groups.map((g) => [g.key, g.runs])).toEqual([['lenet5', 8], ['mlp', 7]]);
    const [lenet] = r.groups;
    expect(lenet?.bestValAccuracy.mean).toBeCloseTo(0.9 + 0.005 + 0.0005, 10);
    // Half the runs (no dropout) overfit at epoch 3; the others never do.
    expect(lenet?.onsetEpoch).toMatchObject({ mean: 3, count: 4 });
    expect(lenet?.lossGapAtBest.mean).toBeCloseTo((0.6 - 1 / 3 + 0.05 + 0.0005) / 2, 10);
    // Without restoring the best weights no patience keeps 99% of val_loss's best (the no-dropout runs end at 0.9 against 0.6).
    expect(lenet?.keep99.patience).toBeNull();
    const restored = await api.analysis.sweep({ sweepId: seeded.sweepId, options: { restoreBestWeights: true } });
    // Patience 0 stops the no-dropout runs after epoch 4 of 6 and never stops the others: 1 epoch saved per run on average.
    expect(restored.groups[0]?.keep99).toMatchObject({ patience: 0, epochsSaved: { mean: 1, count: 8 } });
    // The sweep metric's best value per run (val_accuracy peaks at the best epoch).
    expect(r.runs.map((x) => x.metricValue)).toEqual(
      seeded.runs.slice(1).map((s) => expect.closeTo((s.config.architecture === 'lenet5' ? 0.9 : 0.85) + (s.params.activation === 'relu' ? 0.01 : 0) + s.repeat * 0.001, 12)),
    );
  });

  it('ranks the parameters: architecture on the metric, dropout on the gap and the onset, over the sweep and per architecture', async () => {
    const api = await caller(team.apiKey);
    const r = await api.analysis.sweep({ sweepId: seeded.sweepId });
    const top = (measure: string, architecture: string | null) => r.importance.find((i) => i.measure === measure && i.architecture === architecture);
    expect(top('metric', null)?.ranking[0]?.key).toBe('architecture');
    expect(top('metric', null)?.trials).toBe(8);
    expect(top('lossGapAtBest', null)?.ranking[0]).toMatchObject({ key: 'dropout' });
    expect(top('lossGapAtBest', null)?.ranking[0]?.importance).toBeGreaterThan(0.9);
    expect(top('onsetEpoch', null)?.ranking[0]?.key).toBe('dropout');
    for (const arch of ['mlp', 'lenet5']) {
      expect(top('onsetEpoch', arch)?.ranking[0]?.key).toBe('dropout');
      // Within one architecture, relu's 0.01 is all the metric varies by (dropout moves the best epoch, not the peak).
      expect(top('metric', arch)?.ranking[0]?.key).toBe('activation');
      expect(top('metric', arch)?.trials).toBe(4);
    }
    const all = await api.analysis.sweep({ sweepId: seeded.sweepId, statuses: ['succeeded', 'queued'] });
    expect(all.runs).toHaveLength(16);
  });

  it('another team’s sweep and a missing one answer "not found"', async () => {
    await expect((await caller(other.apiKey)).analysis.sweep({ sweepId: seeded.sweepId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await caller(team.apiKey)).analysis.sweep({ sweepId: randomUUID() })).rejects.toThrow(/sweep .* not found/);
  });
});
