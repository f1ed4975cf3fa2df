import { describe, expect, it } from 'vitest';

import { curveFromRecords } from './curve';
import { findGaps } from './gap';

describe('findGaps', () => {
  it('is val_loss - loss and accuracy - val_accuracy per epoch', () => {
    const curve = curveFromRecords([
      { loss: 1.0, val_loss: 1.25, accuracy: 0.5, val_accuracy: 0.375 },
      { loss: 0.5, val_loss: 1.5, accuracy: 0.75, val_accuracy: 0.5 },
    ]);
    expect(findGaps(curve)).toEqual([
      { epoch: 1, loss: 0.25, accuracy: 0.125 },
      { epoch: 2, loss: 1.0, accuracy: 0.25 },
    ]);
  });
  it('is null where a value is missing or not finite', () => {
    const curve = curveFromRecords([
      { epoch: 3, loss: 1.0, val_loss: null, accuracy: 0.5 },
      { epoch: 4, loss: 1.0, val_loss: 2.0, accuracy: 0.5 },
      { epoch: 5, loss: Infinity, val_loss: 2.0 },
    ]);
    expect(findGaps(curve)).toEqual([
      { epoch: 3, loss: null, accuracy: null },
      { epoch: 4, loss: 1.0, accuracy: null },
      { epoch: 5, loss: null, accuracy: null },
    ]);
  });
});
