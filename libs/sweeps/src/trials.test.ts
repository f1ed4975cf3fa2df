import { describe, expect, it } from 'vitest';

import { expandSweep } from './expand';
import { sweepImportance } from './importance';
import { pathValues } from './space';
import { validateSweep } from './spec';
import { assignmentOfConfig, spaceOfArchitecture, trialsOfRuns } from './trials';

const checked = validateSweep({
  name: 't',
  architectures: { mlp: {}, lenet5: { parameters: { denseActivation: { values: ['relu', 'sigmoid'] } } } },
  method: 'grid',
  metric: { name: 'val_accuracy' },
  parameters: {
    optimizer: { values: [{ name: 'adam', learningRate: 0.001 }, { name: 'sgd' }] },
    dropout: { values: [0, 0.25] },
    epochs: { value: 2 },
  },
  repeats: 2,
});
if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
const { spec, space } = checked;

describe('assignmentOfConfig', () => {
  it('reads every expanded run back to the assignment it came from (parsed configs add defaults)', () => {
    const runs = expandSweep(spec, space);
    expect(runs).toHaveLength(2 * (4 + 8));
    for (const r of runs) {
      const a = assignmentOfConfig(space, r.config);
      expect(a?.architecture).toBe(r.config.architecture);
      expect(a && pathValues(space, a)).toEqual(r.params);
      expect(runs.filter((q) => JSON.stringify(assignmentOfConfig(space, q.config)) === JSON.stringify(a)).map((q) => q.configuration)).toEqual([r.configuration, r.configuration]);
    }
  });

  it('is null for a run that does not fit the space', () => {
    const [first] = expandSweep(spec, space);
    if (!first) throw new Error('no runs');
    expect(assignmentOfConfig(space, { ...first.config, architecture: 'alexnet' } as typeof first.config)).toBeNull();
    expect(assignmentOfConfig(space, { ...first.config, optimizer: { name: 'rmsprop', learningRate: 0.001 } } as typeof first.config)).toBeNull();
  });
});

describe('trialsOfRuns', () => {
  it('one trial per configuration at the mean of its finite values', () => {
    const a = { architecture: 'mlp' as const, values: { dropout: 0 } };
    const b = { architecture: 'mlp' as const, values: { dropout: 0.25 } };
    expect(trialsOfRuns([{ assignment: a, value: 1 }, { assignment: b, value: 5 }, { assignment: { ...a }, value: 3 }, { assignment: b, value: null }, { assignment: b, value: NaN }])).toEqual([
      { assignment: a, value: 2 },
      { assignment: b, value: 5 },
    ]);
  });
});

describe('spaceOfArchitecture', () => {
  it("keeps the architecture's parameters, shared and own, as its alone", () => {
    const lenet = spaceOfArchitecture(space, 'lenet5');
    expect(lenet.architectures).toEqual(['lenet5']);
    expect(lenet.params.map((p) => p.path).sort()).toEqual(['denseActivation', 'dropout', 'epochs', 'optimizer']);
    expect(lenet.params.every((p) => p.architectures.length === 1)).toBe(true);
  });
});

describe('sweepImportance on trials read back from runs', () => {
  it('gives all the importance to a parameter that alone decides the objective (no noise)', () => {
    const trials = trialsOfRuns(expandSweep(spec, space).map((r) => ({ assignment: assignmentOfConfig(space, r.config) ?? { architecture: 'mlp', values: {} }, value: r.config.dropout === 0 ? 1 : 0 })));
    const ranking = sweepImportance(space, trials);
    expect(ranking[0]).toMatchObject({ key: 'dropout', importance: 1 });
  });
});
