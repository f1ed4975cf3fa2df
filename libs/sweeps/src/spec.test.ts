import { ZRunConfig } from '@hyperzoo/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { expandSweep, gridAssignments } from './expand';
import { repeatSeeds } from './random';
import { buildSpace, cardinality, paramsOf } from './space';
import { validateSweep, validateSweepYaml } from './spec';

const BASE = {
  name: 't',
  architectures: ['mlp', 'lenet5'],
  dataset: { dataset: 'fashion-mnist', subsetPerClass: 600 },
  method: 'grid',
  metric: { name: 'val_accuracy', goal: 'maximize' },
  parameters: { activation: { values: ['relu', 'sigmoid'] }, 'optimizer.name': { values: ['adam', 'sgd'] }, epochs: { value: 30 } },
  repeats: 3,
};

const issuesOf = (input: unknown, gridCap?: number) => {
  const r = validateSweep(input, { gridCap });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};
const pathsOf = (input: unknown, gridCap?: number) => {
  const r = validateSweep(input, { gridCap });
  return r.ok ? [] : r.issues.map((i) => i.path);
};

describe('validateSweep: impossible specs are refused with the path', () => {
  it('accepts the base spec', () => expect(issuesOf(BASE)).toEqual([]));

  it('refuses a parameter no architecture of the sweep takes', () => {
    expect(issuesOf({ ...BASE, parameters: { ...BASE.parameters, depth: { values: [[2, 2, 2, 2]] } } })).toEqual([
      'parameters.depth: depth is not an option of mlp or lenet5',
    ]);
    expect(pathsOf({ ...BASE, parameters: { 'optimizer.beta9': { value: 1 } } })).toEqual(['parameters.optimizer.beta9']);
    expect(pathsOf({ ...BASE, parameters: { 'epochs.max': { value: 1 } } })).toEqual(['parameters.epochs.max.value']);
  });

  it('refuses a shared parameter only some architectures take, pointing at their blocks', () => {
    expect(issuesOf({ ...BASE, parameters: { denseActivation: { values: ['relu'] } } })).toEqual([
      'parameters.denseActivation: denseActivation is an option of lenet5 but not of mlp: set it under architectures.lenet5.parameters',
    ]);
    // The same parameter in lenet5's own block is fine.
    expect(issuesOf({ ...BASE, architectures: { mlp: null, lenet5: { parameters: { denseActivation: { values: ['relu', 'sigmoid'] } } } } })).toEqual([]);
    expect(pathsOf({ ...BASE, architectures: { mlp: { parameters: { denseActivation: { value: 'relu' } } } } })).toEqual(['architectures.mlp.parameters.denseActivation']);
  });

  it('refuses values outside an option\'s range or type, at the offending bound or value', () => {
    expect(pathsOf({ ...BASE, parameters: { dropout: { distribution: 'uniform', min: 0, max: 1 } }, method: 'random', maxRuns: 10 })).toEqual(['parameters.dropout.max']);
    expect(pathsOf({ ...BASE, parameters: { activation: { values: ['relu', 'softmaxx'] } } })).toEqual(['parameters.activation.values.1']);
    expect(pathsOf({ ...BASE, parameters: { batchSize: { distribution: 'uniform', min: 16, max: 128 } }, method: 'random', maxRuns: 10 })).toEqual(['parameters.batchSize.distribution']);
  });

  it('refuses an unknown metric, a goal against the catalogue, and malformed fields', () => {
    expect(pathsOf({ ...BASE, metric: { name: 'val_top5' } })).toEqual(['metric.name']);
    expect(pathsOf({ ...BASE, metric: { name: 'val_loss', goal: 'maximize' } })).toEqual(['metric.goal']);
    expect(pathsOf({ ...BASE, architectures: ['mlp', 'vgg'] })).toEqual(['architectures.1']);
    expect(pathsOf({ ...BASE, architectures: { vgg: null } })).toEqual(['architectures.vgg']);
    expect(pathsOf({ ...BASE, parameters: { seed: { values: [1, 2] } } })).toEqual(['parameters.seed']);
    expect(pathsOf({ ...BASE, method: 'random', maxRuns: 9, parameters: { lr: { distribution: 'log_uniform', min: 0, max: 1 } } })).toEqual(['parameters.lr.min']);
    expect(pathsOf({ ...BASE, parameters: { x: { distribution: 'gaussian' } } })).toEqual(['parameters.x.distribution']);
    expect(pathsOf({ ...BASE, method: 'random' })).toEqual(['maxRuns']);
    expect(pathsOf({ ...BASE, parameters: { optimizer: { value: { name: 'sgd' } }, 'optimizer.learningRate': { value: 0.1 } } })).toEqual(['parameters.optimizer']);
    expect(pathsOf({ ...BASE, architectures: ['transfer'], parameters: {} })).toEqual(['architectures.transfer']);
  });

  it('refuses a grid over the cap (or over maxRuns) with its count', () => {
    const big = { ...BASE, parameters: { ...BASE.parameters, 'earlyStopping.patience': { distribution: 'int_uniform', min: 1, max: 100 } } };
    expect(issuesOf(big)).toEqual(['parameters: the grid has 2,400 runs (800 configurations x 3 repeats), more than the cap of 1,000']);
    expect(issuesOf(big, 5000)).toEqual([]);
    expect(issuesOf({ ...BASE, maxRuns: 20 })).toEqual(['maxRuns: the grid has 24 runs (8 configurations x 3 repeats), more than maxRuns 20']);
    expect(pathsOf({ ...BASE, parameters: { dropout: { distribution: 'uniform', min: 0, max: 0.5 } } })).toEqual(['parameters.dropout.distribution']);
  });

  it('refuses Hyperband rungs that cannot fit before the last epoch', () => {
    expect(pathsOf({ ...BASE, parameters: { epochs: { value: 3 } }, earlyTermination: { type: 'hyperband', minEpochs: 3 } })).toEqual(['earlyTermination.minEpochs']);
    expect(issuesOf({ ...BASE, earlyTermination: { type: 'hyperband', minEpochs: 3, eta: 3 } })).toEqual([]);
  });
});

describe('validateSweepYaml', () => {
  const yaml = `name: t
architectures: [mlp, lenet5]
method: grid
metric: { name: val_accuracy }
parameters:
  activation: { values: [relu, sigmoid] }
  depth: { values: [[2, 2]] }
`;
  it('points issues at their line and column', () => {
    const r = validateSweepYaml(yaml);
    expect(r.ok ? [] : r.issues).toEqual([{ path: 'parameters.depth', message: 'depth is not an option of mlp or lenet5', line: 7, column: 10 }]);
  });

  it('refuses malformed YAML, duplicate keys and non-object documents with a position', () => {
    for (const text of ['name: [unclosed\n', 'name: a\nname: b\n', 'parameters:\n  a: {\n']) {
      const r = validateSweepYaml(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]?.line).toBeGreaterThan(0);
    }
    const r = validateSweepYaml('- just\n- a list\n');
    expect(r.ok ? null : r.issues[0]?.message).toMatch(/expected object/);
  });
});

describe('expandSweep', () => {
  const checked = validateSweep(BASE);
  if (!checked.ok) throw new Error('base spec refused');
  const { spec, space } = checked;

  it('makes the cartesian product per architecture, repeats outermost, every config valid', () => {
    const runs = expandSweep(spec, space);
    expect(runs).toHaveLength(2 * 2 * 2 * 3);
    expect(runs.map((r) => r.index)).toEqual(runs.map((_, i) => i));
    expect(runs.slice(0, 8).every((r) => r.repeat === 0)).toBe(true);
    const seeds = repeatSeeds(spec.seed, 3);
    for (const run of runs) {
      expect(ZRunConfig.parse(run.config)).toEqual(run.config);
      expect(run.config.seed).toBe(seeds[run.repeat]);
      expect(run.config.data.subsetPerClass).toBe(600);
      expect(run.config).toMatchObject({ architecture: run.assignment.architecture, activation: run.params.activation, optimizer: { name: run.params['optimizer.name'] } });
    }
    const distinct = new Set(runs.map((r) => JSON.stringify([r.assignment, r.seed])));
    expect(distinct.size).toBe(runs.length);
  });

  it('counts a grid as the product of the parameters\' sizes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), (sizes, repeats) => {
        const names = ['activation', 'batchSize', 'width', 'epochs'];
        const values = [['relu', 'tanh', 'elu', 'selu'], [16, 32, 64, 128], [0.5, 1, 1.5, 2], [1, 2, 3, 4]];
        const parameters = Object.fromEntries(sizes.map((n, i) => [names[i], { values: values[i]?.slice(0, n) }]));
        const r = validateSweep({ ...BASE, architectures: ['mlp'], parameters, repeats });
        if (!r.ok) throw new Error(JSON.stringify(r.issues));
        expect(gridAssignments(r.space)).toHaveLength(sizes.reduce((a, b) => a * b, 1));
        expect(expandSweep(r.spec, r.space)).toHaveLength(sizes.reduce((a, b) => a * b, 1) * repeats);
        expect(paramsOf(r.space, 'mlp').reduce((n, p) => n * cardinality(p.dim), 1)).toBe(sizes.reduce((a, b) => a * b, 1));
      }),
      { numRuns: 30 },
    );
  });

  it('expands int_uniform and q_uniform into their steps', () => {
    const r = validateSweep({ ...BASE, architectures: ['mlp'], repeats: 1, parameters: { dropout: { distribution: 'q_uniform', min: 0, max: 0.5, q: 0.1 }, epochs: { distribution: 'int_uniform', min: 2, max: 4 } } });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const runs = expandSweep(r.spec, r.space);
    expect([...new Set(runs.map((x) => x.config.dropout))]).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect([...new Set(runs.map((x) => x.config.epochs))]).toEqual([2, 3, 4]);
  });

  it('draws random runs reproducibly: same spec and seed, same runs; more runs keep the first ones', () => {
    const random = (maxRuns: number, seed: number) => {
      const r = validateSweep({
        ...BASE,
        method: 'random',
        maxRuns,
        seed,
        parameters: { 'optimizer.learningRate': { distribution: 'log_uniform', min: 1e-4, max: 0.1 }, dropout: { distribution: 'uniform', min: 0, max: 0.5 }, batchSize: { values: [32, 64], weights: [3, 1] } },
      });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return expandSweep(r.spec, r.space);
    };
    const a = random(30, 7);
    expect(a).toHaveLength(30);
    expect(random(30, 7)).toEqual(a);
    expect(random(60, 7).filter((r) => r.configuration < 10).map((r) => r.assignment)).toEqual(a.map((r) => r.assignment));
    expect(random(30, 8).map((r) => r.assignment)).not.toEqual(a.map((r) => r.assignment));
    for (const run of a) {
      expect(run.config.optimizer.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(run.config.optimizer.learningRate).toBeLessThanOrEqual(0.1);
    }
    const many = random(3000, 1);
    const share64 = many.filter((r) => r.config.batchSize === 64).length / many.length;
    expect(share64).toBeGreaterThan(0.2);
    expect(share64).toBeLessThan(0.3);
  });

  it('keeps repeat seeds stable as repeats grow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 20 }), (seed, n) => {
        const seeds = repeatSeeds(seed, n + 5);
        expect(repeatSeeds(seed, n)).toEqual(seeds.slice(0, n));
        expect(new Set(seeds).size).toBe(seeds.length);
      }),
    );
  });

  it('lets a block override a shared parameter for its architecture', () => {
    const space = buildSpace({
      architectures: { mlp: { parameters: {} }, alexnet: { parameters: { dropout: { distribution: 'constant', value: 0.5 } } } },
      parameters: { dropout: { distribution: 'categorical', values: [0, 0.2] } },
    });
    expect(paramsOf(space, 'mlp').map((p) => p.key)).toEqual(['dropout']);
    expect(paramsOf(space, 'alexnet').map((p) => p.key)).toEqual(['dropout@alexnet']);
  });
});
