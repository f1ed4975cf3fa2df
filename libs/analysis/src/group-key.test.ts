import { describe, expect, it } from 'vitest';

import { ZRunConfig } from '@hyperzoo/schemas';

import { findGroupKey, GROUP_BY } from './group-key';

describe('findGroupKey', () => {
  it('reads each setting from a run config, "-" where the architecture has none', () => {
    const lenet = ZRunConfig.parse({ architecture: 'lenet5', optimizer: { name: 'sgd', learningRate: 0.01 }, dropout: 0.25 });
    const transfer = ZRunConfig.parse({ architecture: 'transfer', transfer: { modelUrl: 'file:///m/model.json' } });
    expect(GROUP_BY.map((by) => findGroupKey(lenet, by))).toEqual(['lenet5', 'sgd', 'relu', '0.25', '0.01', '32', '1', 'fashion-mnist']);
    expect(findGroupKey(transfer, 'activation')).toBe('-');
    expect(findGroupKey(transfer, 'width')).toBe('-');
  });
});
