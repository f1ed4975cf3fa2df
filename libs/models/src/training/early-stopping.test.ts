import { describe, expect, it } from 'vitest';

import { ZEarlyStopping, type TEarlyStopping } from '@hyperzoo/schemas';

import { EarlyStopping, resolveDirection } from './early-stopping';

/** Feeds a curve epoch by epoch the way the training loop does and records what happened. */
function simulate(options: Partial<TEarlyStopping>, curve: number[]) {
  const es = new EarlyStopping(ZEarlyStopping.parse(options));
  const snapshots: number[] = [];
  let epochsRun = 0;
  for (const [i, value] of curve.entries()) {
    const epoch = i + 1;
    epochsRun = epoch;
    const step = es.update(epoch, value);
    if (step.snapshot) snapshots.push(epoch);
    if (step.stop) break;
  }
  return { epochsRun, stoppedEpoch: es.stoppedEpoch, bestEpoch: es.bestEpoch, snapshots, restore: es.shouldRestore };
}

describe('EarlyStopping (Keras semantics)', () => {
  it('stops after `patience` epochs without improvement (val_loss, min)', () => {
    const r = simulate({ patience: 2 }, [1.0, 0.8, 0.9, 0.85, 0.7]);
    expect(r).toMatchObject({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 2 });
  });

  it('runs 4 epochs on a rising loss with patience 3, as in the Keras docstring example', () => {
    const r = simulate({ monitor: 'loss', patience: 3 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r).toMatchObject({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 1 });
  });

  it('never stops while the metric keeps improving', () => {
    const r = simulate({ patience: 1 }, [5, 4, 3, 2, 1]);
    expect(r).toMatchObject({ epochsRun: 5, stoppedEpoch: null, bestEpoch: 5 });
  });

  describe('patience 0', () => {
    it('stops at the first epoch that does not improve', () => {
      expect(simulate({ patience: 0 }, [1.0, 0.9, 0.95, 0.8])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
    });
    it('never stops on the first epoch, even when it is not an improvement', () => {
      expect(simulate({ patience: 0 }, [Number.NaN, 1.0, 0.5])).toMatchObject({ stoppedEpoch: null, bestEpoch: 3 });
      expect(simulate({ patience: 0 }, [Number.NaN, Number.NaN, 1])).toMatchObject({ stoppedEpoch: 2, bestEpoch: null });
    });
  });

  describe('min_delta', () => {
    it('an improvement of exactly min_delta does not count (strict comparison)', () => {
      // 0.75 + 0.25 < 1.0 is false: exact binary fractions, no rounding involved.
      expect(simulate({ patience: 1, minDelta: 0.25 }, [1.0, 0.75, 0.5])).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1 });
    });
    it('an improvement larger than min_delta counts', () => {
      expect(simulate({ patience: 1, minDelta: 0.25 }, [1.0, 0.625, 0.5])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
    });
    it('applies with the sign of the mode (max)', () => {
      const exact = simulate({ monitor: 'val_accuracy', patience: 1, minDelta: 0.25 }, [0.25, 0.5, 0.5]);
      expect(exact).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1 });
      const more = simulate({ monitor: 'val_accuracy', patience: 1, minDelta: 0.25 }, [0.25, 0.625, 0.5]);
      expect(more).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
    });
    it('a small gain below min_delta still counts toward patience', () => {
      expect(simulate({ patience: 2, minDelta: 0.1 }, [1.0, 0.95, 0.91, 0.5])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 1 });
    });
  });

  it('treats NaN as no improvement (and never as best)', () => {
    expect(simulate({ patience: 2 }, [1.0, Number.NaN, Number.NaN, 0.5])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 1 });
    expect(simulate({ monitor: 'val_accuracy', patience: 1 }, [0.5, Number.NaN, 0.9])).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1 });
  });

  describe('baseline', () => {
    it('keeps counting while improvements stay worse than the baseline, stopping at the first non-improving epoch', () => {
      // wait: 1,2 (improvements, not reset: baseline 0.5 not beaten), 3 -> 3 >= 2 and not an improvement: stop.
      expect(simulate({ patience: 2, baseline: 0.5 }, [1.0, 0.9, 0.95])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
    });
    it('never stops on an improving curve that never beats the baseline (the stop check skips improving epochs)', () => {
      expect(simulate({ patience: 2, baseline: 0.5 }, [1.0, 0.9, 0.8, 0.7, 0.6])).toMatchObject({ stoppedEpoch: null, bestEpoch: 5 });
    });
    it('a constant curve that never beats the baseline stops after patience epochs', () => {
      expect(simulate({ patience: 3, baseline: 0.5 }, [1, 1, 1, 1, 1, 1])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 1 });
    });
    it('resets wait once the baseline is beaten', () => {
      // e1 wait 1 (best, baseline not beaten); e2 beats 0.5: wait 0; e3..e5 wait 1,2,3 -> stop at 5.
      expect(simulate({ patience: 3, baseline: 0.5 }, [1.0, 0.4, 0.45, 0.42, 0.41, 0.3])).toMatchObject({ stoppedEpoch: 5, bestEpoch: 2 });
    });
    it('baseline in max mode', () => {
      const r = simulate({ monitor: 'val_accuracy', patience: 1, baseline: 0.8 }, [0.5, 0.6, 0.55]);
      expect(r).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
      const beaten = simulate({ monitor: 'val_accuracy', patience: 1, baseline: 0.8 }, [0.5, 0.85, 0.84, 0.83]);
      expect(beaten).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
    });
  });

  describe('mode', () => {
    it('auto maximises accuracy names and minimises the rest', () => {
      expect(resolveDirection('val_accuracy', 'auto')).toBe('max');
      expect(resolveDirection('accuracy', 'auto')).toBe('max');
      expect(resolveDirection('val_acc', 'auto')).toBe('max');
      expect(resolveDirection('val_loss', 'auto')).toBe('min');
      expect(resolveDirection('loss', 'auto')).toBe('min');
      expect(resolveDirection('val_accuracy', 'min')).toBe('min');
    });
    it('max with val_accuracy stops when accuracy stops rising', () => {
      expect(simulate({ monitor: 'val_accuracy', patience: 2 }, [0.5, 0.6, 0.55, 0.58, 0.9])).toMatchObject({ stoppedEpoch: 4, bestEpoch: 2 });
    });
    it('an explicit mode overrides the name', () => {
      expect(simulate({ monitor: 'val_loss', mode: 'max', patience: 1 }, [1, 2, 1.5])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
      expect(simulate({ monitor: 'val_accuracy', mode: 'min', patience: 1 }, [0.5, 0.4, 0.6])).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
    });
  });

  describe('restore_best_weights', () => {
    it('snapshots the first epoch and every new best, and restores at the end', () => {
      const r = simulate({ patience: 2, restoreBestWeights: true }, [1.0, 0.8, 0.9, 0.95]);
      expect(r).toEqual({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 2, snapshots: [1, 2], restore: true });
    });
    it('restores at train end also when training ran to the last epoch', () => {
      const r = simulate({ patience: 5, restoreBestWeights: true }, [1.0, 0.9, 0.95]);
      expect(r).toEqual({ epochsRun: 3, stoppedEpoch: null, bestEpoch: 2, snapshots: [1, 2], restore: true });
    });
    it('without any improvement the first monitored epoch is the one restored', () => {
      const r = simulate({ patience: 1, restoreBestWeights: true }, [Number.NaN, Number.NaN, Number.NaN]);
      expect(r).toEqual({ epochsRun: 2, stoppedEpoch: 2, bestEpoch: 1, snapshots: [1], restore: true });
    });
    it('with a baseline never beaten, restores the best epoch seen', () => {
      const r = simulate({ patience: 2, baseline: 0.1, restoreBestWeights: true }, [1.0, 0.7, 0.9]);
      expect(r).toEqual({ epochsRun: 3, stoppedEpoch: 3, bestEpoch: 2, snapshots: [1, 2], restore: true });
    });
    it('is off by default', () => {
      const r = simulate({ patience: 1 }, [1.0, 2.0]);
      expect(r).toEqual({ epochsRun: 2, stoppedEpoch: 2, bestEpoch: 1, snapshots: [], restore: false });
    });
  });

  describe('start_from_epoch (Keras 3)', () => {
    it('ignores the warm-up epochs: no best, no wait, no stop', () => {
      expect(simulate({ patience: 0, startFromEpoch: 2 }, [0.5, 0.1, 1.0, 0.9, 0.8])).toMatchObject({ stoppedEpoch: null, bestEpoch: 5 });
      expect(simulate({ patience: 0, startFromEpoch: 3 }, [1, 2, 3, 4, 5])).toMatchObject({ stoppedEpoch: 5, bestEpoch: 4 });
      expect(simulate({ patience: 0 }, [1, 2, 3, 4, 5])).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1 });
    });
    it('can stop on the first monitored epoch when it is not an improvement (Keras checks epoch > 0, not the start)', () => {
      expect(simulate({ patience: 0, startFromEpoch: 1 }, [0.5, Number.NaN, 0.4])).toMatchObject({ stoppedEpoch: 2, bestEpoch: null });
    });
    it('snapshots first at the first monitored epoch', () => {
      const r = simulate({ patience: 1, startFromEpoch: 2, restoreBestWeights: true }, [0.1, 0.2, 0.9, 1.0, 0.5]);
      expect(r).toEqual({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 3, snapshots: [3], restore: true });
    });
    it('defaults to 0 (every epoch monitored)', () => {
      expect(ZEarlyStopping.parse({}).startFromEpoch).toBe(0);
    });
  });

  it('ignores epochs where the monitored value is missing', () => {
    const es = new EarlyStopping(ZEarlyStopping.parse({ patience: 0 }));
    expect(es.update(1, 1.0).improved).toBe(true);
    expect(es.update(2, null)).toEqual({ improved: false, stop: false, snapshot: false });
    expect(es.update(3, undefined).stop).toBe(false);
    expect(es.getState().wait).toBe(0);
    expect(es.update(4, 2.0).stop).toBe(true);
  });

  it('continues identically from a saved state (checkpoint resume)', () => {
    const config = ZEarlyStopping.parse({ patience: 2, baseline: 0.5, restoreBestWeights: true });
    const curve = [1.0, 0.9, 0.45, 0.47, 0.46];
    const straight = new EarlyStopping(config);
    const a = curve.map((v, i) => straight.update(i + 1, v));
    const first = new EarlyStopping(config);
    const b = curve.slice(0, 3).map((v, i) => first.update(i + 1, v));
    const saved = JSON.parse(JSON.stringify(first.getState()));
    const resumed = new EarlyStopping(config, saved);
    b.push(...curve.slice(3).map((v, i) => resumed.update(i + 4, v)));
    expect(b).toEqual(a);
    expect(resumed.getState()).toEqual(straight.getState());
    expect(resumed.stoppedEpoch).toBe(5);
  });

  it('keeps the state JSON-safe before any best exists', () => {
    const es = new EarlyStopping(ZEarlyStopping.parse({}));
    es.update(1, Number.NaN);
    const state = JSON.parse(JSON.stringify(es.getState()));
    expect(state.best).toBeNull();
    expect(new EarlyStopping(ZEarlyStopping.parse({}), state).update(2, 5).improved).toBe(true);
  });
});
