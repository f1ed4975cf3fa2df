import { describe, expect, it } from 'vitest';

import { toIssues } from './issues';
import { ZSweepSpec } from './sweep';

const BASE = { name: 's', architectures: ['mlp', 'lenet5'], method: 'grid', metric: { name: 'val_accuracy' } };
const pathsOf = (input: unknown) => {
  const r = ZSweepSpec.safeParse(input);
  return r.success ? [] : toIssues(r.error).map((i) => i.path);
};

describe('ZSweepSpec', () => {
  it('normalises the W&B shorthands, the architecture list and the defaults', () => {
    const spec = ZSweepSpec.parse({ ...BASE, parameters: { epochs: { value: 30 }, activation: { values: ['relu', 'tanh'] } } });
    expect(spec.parameters).toEqual({
      epochs: { distribution: 'constant', value: 30 },
      activation: { distribution: 'categorical', values: ['relu', 'tanh'] },
    });
    expect(spec.architectures).toEqual({ mlp: { parameters: {} }, lenet5: { parameters: {} } });
    expect(spec).toMatchObject({ project: 'default', repeats: 1, seed: 0, maxConcurrent: 4, resourceClass: 'cpu', metric: { goal: 'maximize' } });
    expect(spec.dataset).toMatchObject({ dataset: 'fashion-mnist', subsetPerClass: null });
    expect(ZSweepSpec.parse({ ...BASE, architectures: { alexnet: null } }).architectures).toEqual({ alexnet: { parameters: {} } });
  });

  it('refuses what the spec alone can tell is wrong, with paths', () => {
    expect(pathsOf({ ...BASE, metric: { name: 'test_accuracy' } })).toEqual(['metric.name']);
    expect(pathsOf({ ...BASE, metric: { name: 'loss', goal: 'maximize' } })).toEqual(['metric.goal']);
    expect(pathsOf({ ...BASE, architectures: ['mlp', 'mlp'] })).toEqual(['architectures']);
    expect(pathsOf({ ...BASE, architectures: [] })).toEqual(['architectures']);
    expect(pathsOf({ ...BASE, parameters: { 'Bad path': { value: 1 } } })).toEqual(['parameters.Bad path']);
    expect(pathsOf({ ...BASE, parameters: { architecture: { values: ['mlp'] } } })).toEqual(['parameters.architecture']);
    expect(pathsOf({ ...BASE, method: 'random', maxRuns: 5, parameters: { dropout: { distribution: 'uniform', min: 0.5, max: 0.1 } } })).toEqual(['parameters.dropout.max']);
    expect(pathsOf({ ...BASE, parameters: { dropout: { values: [0, 1], weights: [1] } } })).toEqual(['parameters.dropout.weights']);
    expect(pathsOf({ ...BASE, parameters: { dropout: { distribution: 'uniform', min: 0, max: 0.5 } } })).toEqual(['parameters.dropout.distribution']);
    expect(pathsOf({ ...BASE, method: 'tpe' })).toEqual(['maxRuns']);
    expect(pathsOf({ ...BASE, tpe: { startupTrials: 5 } })).toEqual(['tpe']);
    expect(pathsOf({ ...BASE, earlyTermination: { type: 'hyperband', minEpochs: 5, maxEpochs: 5 } })).toEqual(['earlyTermination.maxEpochs']);
    expect(pathsOf({ ...BASE, extra: 1 })).toEqual(['extra']);
  });
});
