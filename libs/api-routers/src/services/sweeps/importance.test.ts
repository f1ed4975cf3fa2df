import { describe, expect, it } from 'vitest';

import { ZSweepSpec } from '@hyperzoo/schemas';
import { buildSpace, randomAssignment, sweepImportance, type TScoredTrial } from '@hyperzoo/sweeps';

import { cachedImportance } from './importance';

describe('cachedImportance', () => {
  const space = buildSpace(
    ZSweepSpec.parse({
      name: 's',
      architectures: ['mlp', 'lenet5'],
      method: 'random',
      maxRuns: 40,
      metric: { name: 'val_accuracy' },
      parameters: { 'optimizer.learningRate': { distribution: 'log_uniform', min: 1e-4, max: 1e-1 }, batchSize: { values: [32, 64] } },
    }),
  );
  const trials: TScoredTrial[] = Array.from({ length: 40 }, (_, i) => {
    const assignment = randomAssignment(space, 1, i);
    return { assignment, value: -((Math.log10(assignment.values['optimizer.learningRate'] as number) + 2.5) ** 2) };
  });

  it('gives the ranking sweepImportance gives, and the same one again without recomputing', () => {
    const first = cachedImportance(space, trials, { nTrees: 8 });
    expect(first).toEqual(sweepImportance(space, trials, { nTrees: 8 }));
    // A copy of the same trials is the same key: the very same array comes back.
    expect(cachedImportance(space, structuredClone(trials), { nTrees: 8 })).toBe(first);
  });

  it('recomputes when a trial value, a new trial or the options differ', () => {
    const first = cachedImportance(space, trials, { nTrees: 8 });
    const changed = trials.map((t, i) => (i === 0 ? { ...t, value: t.value + 1 } : t));
    expect(cachedImportance(space, changed, { nTrees: 8 })).not.toBe(first);
    expect(cachedImportance(space, trials.slice(1), { nTrees: 8 })).not.toBe(first);
    expect(cachedImportance(space, trials, { nTrees: 8, seed: 5 })).not.toBe(first);
  });
});
