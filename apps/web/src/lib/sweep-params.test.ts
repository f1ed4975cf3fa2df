import { describe, expect, it } from 'vitest';

import { showParam, varyingParamKeys } from './sweep-params';

describe('varyingParamKeys', () => {
  it('keeps the parameters that differ, objects compared by value, a missing one as a value of its own', () => {
    const runs = [
      { params: { epochs: 30, optimizer: { name: 'adam' }, dropout: 0, activation: 'relu' } },
      { params: { epochs: 30, optimizer: { name: 'adam' }, dropout: 0.5 } },
    ];
    expect([...varyingParamKeys(runs)].sort()).toEqual(['activation', 'dropout']);
    expect(varyingParamKeys([])).toEqual(new Set());
  });

  it('shows objects as JSON and nothing as a dash', () => {
    expect(showParam({ name: 'sgd' })).toBe('{"name":"sgd"}');
    expect(showParam(undefined)).toBe('—');
    expect(showParam(0.25)).toBe('0.25');
  });
});
