import { describe, expect, it } from 'vitest';

import { previewSweep, previewSweepYaml } from './preview';

const BASE = {
  name: 'p',
  architectures: { mlp: null, lenet5: { parameters: { denseActivation: { values: ['relu', 'sigmoid'] } } } },
  method: 'grid',
  metric: { name: 'val_loss' },
  parameters: { activation: { values: ['relu', 'tanh'] }, dropout: { distribution: 'q_uniform', min: 0, max: 0.5, q: 0.25 }, epochs: { value: 27 } },
  repeats: 2,
  earlyTermination: { type: 'hyperband', minEpochs: 1, eta: 3, brackets: 2 },
};

describe('previewSweep', () => {
  it('counts a grid per architecture and describes each parameter', () => {
    const r = previewSweep(BASE);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.preview).toMatchObject({
      runs: (6 + 12) * 2,
      configurations: 18,
      perArchitecture: { mlp: 12, lenet5: 24 },
      metric: { name: 'val_loss', goal: 'minimize' },
      rungs: [[1, 3, 9], [3, 9]],
    });
    expect(r.preview.seeds).toHaveLength(2);
    expect(r.preview.parameters).toEqual([
      { path: 'activation', architectures: ['mlp', 'lenet5'], distribution: 'categorical', values: ['relu', 'tanh'], count: 2 },
      { path: 'dropout', architectures: ['mlp', 'lenet5'], distribution: 'q_uniform', values: [0, 0.25, 0.5], min: 0, max: 0.5, count: 3 },
      { path: 'epochs', architectures: ['mlp', 'lenet5'], distribution: 'constant', values: [27], count: 1 },
      { path: 'denseActivation', architectures: ['lenet5'], distribution: 'categorical', values: ['relu', 'sigmoid'], count: 2 },
    ]);
  });

  it('gives maxRuns (in whole repeats) for random and tpe; per architecture only for random', () => {
    const random = previewSweep({ ...BASE, method: 'random', maxRuns: 41, parameters: { ...BASE.parameters, dropout: { distribution: 'uniform', min: 0, max: 0.5 } } });
    if (!random.ok) throw new Error(JSON.stringify(random.issues));
    expect(random.preview.runs).toBe(40);
    const counts = Object.values(random.preview.perArchitecture ?? {});
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(random.preview.parameters.find((p) => p.path === 'dropout')).toEqual({ path: 'dropout', architectures: ['mlp', 'lenet5'], distribution: 'uniform', min: 0, max: 0.5, count: null });
    const tpe = previewSweep({ ...BASE, method: 'tpe', maxRuns: 40 });
    expect(tpe.ok && tpe.preview).toMatchObject({ runs: 40, perArchitecture: null });
  });

  it('returns the issues, with positions, instead of a preview', () => {
    const r = previewSweepYaml('name: p\narchitectures: [mlp]\nmethod: grid\nmetric: { name: val_top5 }\n');
    expect(r).toEqual({ ok: false, issues: [expect.objectContaining({ path: 'metric.name', line: 4, column: 17 })] });
    expect(previewSweep({ ...BASE, repeats: 100 })).toMatchObject({ ok: false, issues: [{ path: 'parameters' }] });
  });
});
