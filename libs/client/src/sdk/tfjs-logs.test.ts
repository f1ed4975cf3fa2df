import { describe, expect, it } from 'vitest';

import { fromTfjsLogs } from './tfjs-logs';

describe('fromTfjsLogs', () => {
  it('maps acc/val_acc and accuracy/val_accuracy to the catalogue names, epochs from 1', () => {
    const timing = { durationMs: 2000, images: 500 };
    expect(fromTfjsLogs(0, { loss: 0.7, acc: 0.5, val_loss: 0.8, val_acc: 0.4 }, timing)).toEqual({
      epoch: 1,
      phase: 'train',
      loss: 0.7,
      accuracy: 0.5,
      val_loss: 0.8,
      val_accuracy: 0.4,
      lr: null,
      duration_ms: 2000,
      images_per_sec: 250,
    });
    expect(fromTfjsLogs(4, { loss: 0.6, accuracy: 0.55, val_accuracy: 0.45 }, timing)).toMatchObject({ epoch: 5, accuracy: 0.55, val_loss: null, val_accuracy: 0.45 });
  });

  it('gives null for a NaN or missing loss (the run diverged), and no throughput without batch sizes', () => {
    expect(fromTfjsLogs(0, { loss: Number.NaN, acc: 0.5 }, { durationMs: 10, images: 0 })).toBeNull();
    expect(fromTfjsLogs(0, { acc: 0.5 }, { durationMs: 10, images: 0 })).toBeNull();
    expect(fromTfjsLogs(0, { loss: 1, val_loss: Infinity }, { durationMs: 10, images: 0 })).toMatchObject({ val_loss: null, images_per_sec: null });
  });
});
