import { describe, expect, it } from 'vitest';

import { analyzeCurve, curveFromRecords } from '@hyperzoo/analysis';

import { summarizeCounterfactual, summarizeGapCurves } from './group-curves';

// Two seeds of one architecture, from real curves run through libs/analysis, as analysis.run answers.
const curve = (valLoss: number[], loss: number[]) =>
  analyzeCurve(curveFromRecords(valLoss.map((v, i) => ({ epoch: i + 1, loss: loss[i] ?? null, val_loss: v, duration_ms: 1000 }))), { patience: null });

describe('group curves', () => {
  const a = curve([0.9, 0.6, 0.5, 0.55, 0.7], [1.0, 0.6, 0.4, 0.3, 0.2]);
  const b = curve([0.8, 0.7, 0.6, 0.65, 0.9], [0.9, 0.7, 0.5, 0.4, 0.3]);
  const runs = [
    { key: 'lenet5', gaps: a.gaps, counterfactual: a.counterfactual },
    { key: 'lenet5', gaps: b.gaps, counterfactual: b.counterfactual },
    { key: 'mlp', gaps: a.gaps.slice(0, 2), counterfactual: a.counterfactual },
  ];

  it('gives the mean loss gap per epoch with a one-sd band over the runs of a group', () => {
    const lenet = summarizeGapCurves(runs).get('lenet5') ?? [];
    expect(lenet.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    // epoch 5: gaps 0.5 and 0.6 -> mean 0.55, sd 0.0707
    expect(lenet[4]?.mean).toBeCloseTo(0.55, 10);
    expect(lenet[4]?.band?.[1]).toBeCloseTo(0.55 + Math.SQRT1_2 * 0.1, 10);
    // One run only: a mean, no spread.
    expect(summarizeGapCurves(runs).get('mlp')?.[0]).toMatchObject({ count: 1, band: null });
  });

  it('averages the counterfactual tables per patience, a short table counting as its last row', () => {
    const lenet = summarizeCounterfactual(runs).get('lenet5') ?? [];
    expect(lenet.length).toBe(Math.max(a.counterfactual.length, b.counterfactual.length));
    // Every group spans the same patience range.
    expect(summarizeCounterfactual(runs).get('mlp')?.length).toBe(lenet.length);
    const p0 = lenet[0];
    expect(p0?.epochsSaved).toBeCloseTo(((a.counterfactual[0]?.epochsSaved ?? NaN) + (b.counterfactual[0]?.epochsSaved ?? NaN)) / 2, 10);
    const last = lenet.at(-1);
    expect(last?.epochsSaved).toBe(0);
  });
});
