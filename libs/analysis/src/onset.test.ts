import { describe, expect, it } from 'vitest';

import { curveFromRecords } from './curve';
import { findOverfittingOnset } from './onset';

const curve = (loss: number[], val: (number | null)[]) => curveFromRecords(loss.map((l, i) => ({ loss: l, val_loss: val[i] ?? null })));

describe('findOverfittingOnset', () => {
  it('is the last val_loss improvement when the training loss keeps falling after it', () => {
    expect(findOverfittingOnset(curve([1.0, 0.8, 0.6, 0.4, 0.3], [1.0, 0.9, 0.85, 0.95, 1.1]))).toBe(3);
  });
  it('is none while val_loss still improves at the last epoch', () => {
    expect(findOverfittingOnset(curve([1.0, 0.8, 0.6], [1.0, 0.9, 0.8]))).toBeNull();
  });
  it('is none when the training loss stops improving too (a plateau, not overfitting)', () => {
    expect(findOverfittingOnset(curve([1.0, 0.8, 0.8, 0.9], [1.0, 0.9, 0.95, 0.97]))).toBeNull();
  });
  it('counts a later new training minimum even after a bump', () => {
    expect(findOverfittingOnset(curve([1.0, 0.8, 0.9, 0.85, 0.7], [1.0, 0.9, 0.95, 0.97, 0.99]))).toBe(2);
  });
  it('uses min_delta and the monitor direction', () => {
    const c = curveFromRecords([
      { loss: 1.0, val_accuracy: 0.5 },
      { loss: 0.8, val_accuracy: 0.7 },
      { loss: 0.6, val_accuracy: 0.75 },
      { loss: 0.5, val_accuracy: 0.7 },
    ]);
    expect(findOverfittingOnset(c, { monitor: 'val_accuracy' })).toBe(3);
    expect(findOverfittingOnset(c, { monitor: 'val_accuracy', minDelta: 0.1 })).toBe(2);
  });
  it('is none without a validation metric', () => {
    expect(findOverfittingOnset(curveFromRecords([{ loss: 1 }, { loss: 0.5 }]))).toBeNull();
  });
});
