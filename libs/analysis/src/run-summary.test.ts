import { describe, expect, it } from 'vitest';

import { curveFromRecords } from './curve';
import { summarizeCurve } from './run-summary';

const curve = curveFromRecords([
  { epoch: 1, loss: 1.0, accuracy: 0.6, val_loss: 1.1, val_accuracy: 0.55, duration_ms: 10 },
  { epoch: 2, loss: 0.6, accuracy: 0.8, val_loss: 0.7, val_accuracy: 0.75, duration_ms: 12 },
  { epoch: 3, loss: 0.3, accuracy: 0.9, val_loss: 0.7, val_accuracy: 0.8, duration_ms: 11 },
  { epoch: 4, loss: 0.1, accuracy: 0.97, val_loss: 0.9, val_accuracy: 0.78, duration_ms: 13 },
]);

describe('summarizeCurve', () => {
  it('takes Keras’ best epoch for the monitor (the first of a tie, min_delta 0) and the values and gap there', () => {
    const s = summarizeCurve(curve, { monitor: 'val_loss' });
    expect(s).toMatchObject({ bestEpoch: 2, bestValLoss: 0.7, bestValAccuracy: 0.75, bestAccuracy: 0.8, bestLoss: 0.6, durationMs: 46, epochsDone: 4 });
    expect(s.gapLoss).toBeCloseTo(0.1, 12);
    expect(s.gapAccuracy).toBeCloseTo(0.05, 12);
    expect(summarizeCurve(curve, { monitor: 'val_accuracy' }).bestEpoch).toBe(3);
  });

  it('keeps the epoch the trainer reported when it was recorded, else falls back to the monitor', () => {
    expect(summarizeCurve(curve, { monitor: 'val_loss', reportedBestEpoch: 4 })).toMatchObject({ bestEpoch: 4, bestValAccuracy: 0.78 });
    expect(summarizeCurve(curve, { monitor: 'val_loss', reportedBestEpoch: 9 }).bestEpoch).toBe(2);
  });

  it('has no best epoch and no values without a validation curve, and zero epochs for an empty run', () => {
    const noVal = curveFromRecords([{ epoch: 1, loss: 1, accuracy: 0.5, duration_ms: 5 }]);
    expect(summarizeCurve(noVal, { monitor: 'val_loss' })).toMatchObject({ bestEpoch: null, bestLoss: null, gapLoss: null, durationMs: 5, epochsDone: 1 });
    expect(summarizeCurve(curveFromRecords([]), { monitor: 'val_loss' })).toMatchObject({ bestEpoch: null, durationMs: null, epochsDone: 0 });
  });
});
