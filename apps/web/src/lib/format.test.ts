import { describe, expect, it } from 'vitest';

import { formatDateTime, formatDuration, formatLearningRate, formatMetric, formatPercent, formatRate, isActiveStatus } from './format';

describe('format', () => {
  it('prints metrics and percentages, dashes for missing values', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(Number.NaN)).toBe('—');
    expect(formatPercent(0.91234)).toBe('91.23%');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('prints durations at a readable scale', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatDuration(-1)).toBe('—');
  });

  it('prints rates, learning rates and dates', () => {
    expect(formatRate(2104.6)).toBe('2,105');
    expect(formatLearningRate(0.001)).toBe('1e-3');
    expect(formatLearningRate(0.00025)).toBe('2.5e-4');
    expect(formatLearningRate(0.1)).toBe('0.1');
    expect(formatDateTime(new Date(2026, 10, 28, 14, 3))).toBe('2026-11-28 14:03');
    expect(formatDateTime(null)).toBe('—');
  });

  it('treats queued and running as active, terminal states as not', () => {
    expect(isActiveStatus('queued')).toBe(true);
    expect(isActiveStatus('running')).toBe(true);
    for (const s of ['succeeded', 'failed', 'cancelled', 'diverged', 'pruned'] as const) expect(isActiveStatus(s)).toBe(false);
  });
});
