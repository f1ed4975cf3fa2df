import { describe, expect, it } from 'vitest';

import { findBestEpoch } from './best-epoch';
import { findCounterfactuals } from './counterfactual';
import { curveFromValues } from './curve';
import { ZAnalysisOptions, type TAnalysisOptionsInput } from './options';
import { traceEarlyStopping } from './trace';

/** Stop epoch per patience 0, 1, 2... (null: never) on a bare val_loss-style curve. */
function stops(values: (number | null)[], options: TAnalysisOptionsInput = {}): (number | null)[] {
  const o = ZAnalysisOptions.parse(options);
  const curve = curveFromValues(o.monitor, values);
  return findCounterfactuals(curve, traceEarlyStopping(curve.epochs, values, o), values).map((r) => r.stoppedEpoch);
}

describe('findBestEpoch (Keras best_epoch, unlimited patience)', () => {
  it('is the first epoch holding the minimum of a loss, the maximum of an accuracy', () => {
    expect(findBestEpoch([1.0, 0.5, 0.7, 0.5, 0.6])).toBe(2);
    expect(findBestEpoch([0.5, 0.9, 0.8, 0.9], { monitor: 'val_accuracy' })).toBe(2);
    expect(findBestEpoch([0.5, 0.9, 0.8], { monitor: 'val_accuracy', mode: 'min' })).toBe(1);
  });
  it('with min_delta, is the last epoch that improved by more than min_delta', () => {
    // 0.75 is not better than 1.0 by more than 0.25 (exactly 0.25); 0.7 is, and 0.69 is not better than 0.7 by 0.25.
    expect(findBestEpoch([1.0, 0.75, 0.7, 0.69], { minDelta: 0.25 })).toBe(3);
  });
  it('never picks NaN or +Infinity for a minimised metric, nor a warm-up epoch', () => {
    expect(findBestEpoch([Number.NaN, Infinity, 3, Number.NaN, 2])).toBe(5);
    expect(findBestEpoch([Number.NaN, Number.NaN])).toBeNull();
    expect(findBestEpoch([0.1, 0.2, 0.5, 0.4], { startFromEpoch: 2 })).toBe(4);
    expect(findBestEpoch([])).toBeNull();
  });
});

describe('counterfactual stop epochs', () => {
  it('follow the Keras docstring example: a rising loss with patience 3 runs 4 epochs', () => {
    expect(stops([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { monitor: 'loss' })[3]).toBe(4);
  });
  it('never stop on epoch 1: patience 0 stops at the first non-improving epoch after it', () => {
    // wait after epochs 3, 4: 1, 2; epoch 5 improves.
    expect(stops([1.0, 0.8, 0.9, 0.85, 0.7])).toEqual([3, 3, 4, null]);
    expect(stops([Number.NaN, 1.0])).toEqual([null]);
  });
  it('a baseline never beaten keeps wait counting through improvements', () => {
    // wait 1, 2 (improving, baseline 0.5 not beaten), 3 on the non-improving epoch 3.
    expect(stops([1.0, 0.9, 0.95], { baseline: 0.5 })).toEqual([3, 3, 3, 3, null]);
    expect(stops([1.0, 0.4, 0.45, 0.42, 0.41, 0.3], { baseline: 0.5 })).toEqual([3, 3, 4, 5, null]);
  });
  it('start_from_epoch: warm-up epochs neither count nor stop', () => {
    expect(stops([1, 2, 3, 4, 5], { startFromEpoch: 3 })).toEqual([5, 5, null]);
    expect(stops([0.5, Number.NaN, 0.4], { startFromEpoch: 1 })).toEqual([2, 2, null]);
  });
  it('null (not logged) epochs are skipped, NaN ones count', () => {
    expect(stops([1.0, null, null, 2.0])).toEqual([4, 4, null]);
    expect(stops([1.0, Number.NaN, Number.NaN, 2.0])).toEqual([2, 2, 3, 4, null]);
  });
});
