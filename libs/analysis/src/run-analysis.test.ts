import { describe as group, expect, it } from 'vitest';

import { curveFromRecords } from './curve';
import { formatGroupTable } from './group-table';
import { summarizeGroups } from './groups';
import { ZGroupSummary, ZRunAnalysis } from './result-schemas';
import { analyzeCurve } from './run-analysis';
import { describe } from './stats';

const run = curveFromRecords(
  [
    [1.0, 1.0, 0.5, 0.5, 1000],
    [0.8, 0.7, 0.6, 0.55, 1000],
    [0.6, 0.5, 0.7, 0.65, 1000],
    [0.5, 0.55, 0.75, 0.66, 1000],
    [0.4, 0.6, 0.8, 0.64, 2000],
    [0.3, 0.8, 0.9, 0.6, 4000],
  ].map(([loss, val_loss, accuracy, val_accuracy, duration_ms]) => ({ loss, val_loss, accuracy, val_accuracy, duration_ms })),
);

group('analyzeCurve (by hand)', () => {
  it('the whole run: best epoch 3, onset 3, the gap there, and the counterfactual table', () => {
    const r = analyzeCurve(run);
    expect(r).toMatchObject({ monitor: 'val_loss', direction: 'min', epochsRecorded: 6, epochsRun: 6, stoppedEpoch: null, bestEpoch: 3, bestValue: 0.5 });
    expect(r.bestValAccuracy).toBe(0.66);
    expect(r.gapAtBest.loss).toBeCloseTo(-0.1, 12);
    expect(r.gapAtBest.accuracy).toBeCloseTo(0.05, 12);
    expect(r.onsetEpoch).toBe(3);
    // wait after epochs 4, 5, 6: 1, 2, 3.
    expect(r.counterfactual).toEqual([
      { patience: 0, stoppedEpoch: 4, epochsRun: 4, bestEpoch: 3, restoredEpoch: 3, valueLast: 0.55, valueRestored: 0.5, epochsSaved: 2, secondsSaved: 6 },
      { patience: 1, stoppedEpoch: 4, epochsRun: 4, bestEpoch: 3, restoredEpoch: 3, valueLast: 0.55, valueRestored: 0.5, epochsSaved: 2, secondsSaved: 6 },
      { patience: 2, stoppedEpoch: 5, epochsRun: 5, bestEpoch: 3, restoredEpoch: 3, valueLast: 0.6, valueRestored: 0.5, epochsSaved: 1, secondsSaved: 4 },
      { patience: 3, stoppedEpoch: 6, epochsRun: 6, bestEpoch: 3, restoredEpoch: 3, valueLast: 0.8, valueRestored: 0.5, epochsSaved: 0, secondsSaved: 0 },
      { patience: 4, stoppedEpoch: null, epochsRun: 6, bestEpoch: 3, restoredEpoch: 3, valueLast: 0.8, valueRestored: 0.5, epochsSaved: 0, secondsSaved: 0 },
    ]);
    expect(ZRunAnalysis.parse(r)).toEqual(r);
  });

  it('99% of the best: only restoring the best weights keeps it here, from patience 0', () => {
    expect(analyzeCurve(run).keep99).toBeNull();
    expect(analyzeCurve(run, { restoreBestWeights: true }).keep99).toEqual({ patience: 0, stoppedEpoch: 4, epochsSaved: 2, secondsSaved: 6 });
  });

  it('with a patience, describes the run as it would have gone', () => {
    expect(analyzeCurve(run, { patience: 1 })).toMatchObject({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 3, bestValAccuracy: 0.66, onsetEpoch: 3 });
    expect(analyzeCurve(run, { patience: 0, monitor: 'val_accuracy' })).toMatchObject({ direction: 'max', stoppedEpoch: 5, bestEpoch: 4, bestValue: 0.66 });
  });
});

group('describe', () => {
  it('gives mean, sample standard deviation and count of the finite values', () => {
    expect(describe([1, 2, 3])).toEqual({ mean: 2, sd: 1, count: 3 });
    expect(describe([null, Number.NaN, 5])).toEqual({ mean: 5, sd: null, count: 1 });
    expect(describe([])).toEqual({ mean: null, sd: null, count: 0 });
  });
});

group('summarizeGroups', () => {
  const curve = (valLoss: number[], valAccuracy: number[]) =>
    curveFromRecords(valLoss.map((v, i) => ({ loss: 1 - i * 0.1, val_loss: v, val_accuracy: valAccuracy[i] ?? null })));
  const runs = (restoreBestWeights: boolean) => [
    { key: 'lenet5', paramCount: 100, analysis: analyzeCurve(curve([1.0, 0.5, 0.6, 0.7], [0.5, 0.8, 0.7, 0.6]), { restoreBestWeights }) },
    { key: 'lenet5', paramCount: 100, analysis: analyzeCurve(curve([1.0, 0.8, 0.6, 0.65], [0.5, 0.6, 0.9, 0.85]), { restoreBestWeights }) },
    { key: 'mlp', paramCount: 50, analysis: analyzeCurve(curve([1.0, 0.9], [0.4, 0.5]), { restoreBestWeights }) },
  ];

  it('gives mean, sd and count per group, ordered by parameter count', () => {
    const [mlp, lenet] = summarizeGroups(runs(false));
    expect(mlp).toMatchObject({ key: 'mlp', runs: 1, paramCount: { mean: 50, sd: null, count: 1 }, onsetEpoch: { mean: null, count: 0 } });
    expect(lenet).toMatchObject({ key: 'lenet5', runs: 2, bestEpoch: { mean: 2.5, count: 2 }, onsetEpoch: { mean: 2.5, count: 2 } });
    expect(lenet?.bestValAccuracy.mean).toBeCloseTo(0.85, 12);
    expect(lenet?.bestValAccuracy.sd).toBeCloseTo(Math.SQRT2 * 0.05, 12);
    expect(ZGroupSummary.array().parse([mlp, lenet])).toEqual([mlp, lenet]);
  });

  it('finds the smallest patience that keeps 99% of the best in every run of a group', () => {
    // Without restoring, the first lenet5 run ends worse than 1% off its best whatever the patience.
    expect(summarizeGroups(runs(false)).map((g) => g.keep99.patience)).toEqual([0, null]);
    const [, lenet] = summarizeGroups(runs(true), { restoreBestWeights: true });
    expect(lenet?.keep99).toMatchObject({ patience: 0, epochsSaved: { mean: 0.5, count: 2 } });
  });

  it('prints one line per group: mean +- sd, onset with the runs that overfit, the 99% patience', () => {
    expect(formatGroupTable(summarizeGroups(runs(true), { restoreBestWeights: true })).split('\n')).toEqual([
      // Gaps at best: mlp 0.9 - 0.9; lenet5 0.5 - 0.9 and 0.6 - 0.8.
      'architecture  runs  params  best val_accuracy  gap at best        onset (runs)  patience 99%  epochs saved',
      'mlp           1     50      0.5000             0.0000             - (0/1)       0             0.0',
      'lenet5        2     100     0.8500 +- 0.0707   -0.3000 +- 0.1414  2.5 (2/2)     0             0.5',
    ]);
  });
});
