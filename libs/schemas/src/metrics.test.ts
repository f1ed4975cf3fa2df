import { describe, expect, it } from 'vitest';

import { EPOCH_METRIC_NAMES, EPOCH_METRICS, fromEpochRow, metricDirection, MONITORS, toEpochRow, ZEpochMetric, type TEpochMetric } from './metrics';

const epoch: TEpochMetric = {
  epoch: 3, phase: 'train', loss: 0.4, accuracy: 0.85, val_loss: 0.45, val_accuracy: 0.83, lr: 0.001, duration_ms: 1200, images_per_sec: 2100,
};

describe('metric catalogue', () => {
  it('maps every wire name to its column and back', () => {
    const row = toEpochRow(epoch);
    expect(row).toEqual({ epoch: 3, phase: 'train', loss: 0.4, accuracy: 0.85, valLoss: 0.45, valAccuracy: 0.83, lr: 0.001, durationMs: 1200, imagesPerSec: 2100 });
    expect(fromEpochRow({ ...row, ...{ runId: 'x', attempt: 2 } } as typeof row)).toEqual(epoch);
    expect(Object.keys(ZEpochMetric.shape).sort()).toEqual(['epoch', 'phase', ...EPOCH_METRIC_NAMES].sort());
  });

  it('knows which way is better, like Keras\' auto mode', () => {
    expect(metricDirection('val_loss')).toBe('min');
    expect(metricDirection('val_accuracy')).toBe('max');
    expect(metricDirection('test_accuracy')).toBe('max');
    expect(metricDirection('val_top_k_acc')).toBe('max');
    for (const m of MONITORS) expect(EPOCH_METRICS[m].better).toBe(metricDirection(m));
  });

  it('refuses values outside the catalogue\'s ranges', () => {
    expect(ZEpochMetric.safeParse({ ...epoch, accuracy: 7 }).success).toBe(false);
    expect(ZEpochMetric.safeParse({ ...epoch, lr: -5 }).success).toBe(false);
    expect(ZEpochMetric.safeParse({ ...epoch, loss: -0.1 }).success).toBe(false);
    expect(ZEpochMetric.safeParse({ ...epoch, epoch: 2 ** 31 }).success).toBe(false);
    expect(ZEpochMetric.safeParse(epoch).success).toBe(true);
  });
});
