import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { expandSweep } from './expand';
import { previewSweepYaml } from './preview';
import { validateSweepYaml } from './spec';
import { proposeTpe } from './tpe/sampler';

const DIR = join(import.meta.dirname, '../../../examples/sweeps');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

// What each course experiment must come to (ZOO.md), so an edit that changes a sweep shows here.
const EXPECTED: Record<string, { runs: number; check?: (runs: ReturnType<typeof expandSweep>) => void }> = {
  'mlp-vs-lenet5.yaml': {
    runs: 6,
    check: (runs) => {
      expect(new Set(runs.map((r) => r.config.architecture))).toEqual(new Set(['mlp', 'lenet5']));
      for (const r of runs) expect(r.config).toMatchObject({ epochs: 30, earlyStopping: { monitor: 'val_loss', patience: 10, restoreBestWeights: true } });
    },
  },
  'lenet5-dense-activation.yaml': {
    runs: 6,
    check: (runs) => expect(new Set(runs.map((r) => r.config.architecture === 'lenet5' && r.config.denseActivation))).toEqual(new Set(['sigmoid', 'relu'])),
  },
  'adam-vs-sgd.yaml': {
    runs: 12,
    check: (runs) => {
      for (const r of runs) expect(r.config.optimizer.learningRate).toBe(r.config.optimizer.name === 'adam' ? 0.001 : 0.01);
    },
  },
  'early-stopping-patience.yaml': {
    runs: 18,
    check: (runs) => {
      const combos = new Set(runs.map((r) => `${r.config.earlyStopping?.patience}/${r.config.earlyStopping?.restoreBestWeights}`));
      expect(combos.size).toBe(6);
    },
  },
  'alexnet-dropout.yaml': {
    runs: 6,
    check: (runs) => {
      expect(new Set(runs.map((r) => r.config.architecture === 'alexnet' && r.config.dropout))).toEqual(new Set([0, 0.25, 0.5]));
      for (const r of runs) expect(r.config).toMatchObject({ architecture: 'alexnet', width: 0.25, data: { inputSize: 67 } });
    },
  },
  'googlenet-vs-resnet.yaml': {
    runs: 6,
    check: (runs) => {
      expect(new Set(runs.map((r) => r.config.architecture))).toEqual(new Set(['googlenet', 'resnet']));
      for (const r of runs) expect(r.config).toMatchObject({ width: 0.25, stem: 'small', epochs: 20 });
    },
  },
  'lenet-vs-mlp-activations.yaml': { runs: 198 },
};

describe('examples/sweeps: one spec per course experiment, each expands', () => {
  it('has a spec for every experiment listed here and nothing unchecked', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, () => {
      const checked = validateSweepYaml(read(file));
      if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
      const preview = previewSweepYaml(read(file));
      expect(preview.ok && preview.preview.runs).toBe(expected.runs);
      const { spec, space } = checked;
      if (spec.method === 'tpe') {
        const a = proposeTpe(space, [], { goal: spec.metric.goal, seed: spec.seed, number: 0 });
        expect(space.architectures).toContain(a.architecture);
        return;
      }
      const runs = expandSweep(spec, space);
      expect(runs).toHaveLength(expected.runs);
      expected.check?.(runs);
    });
  }

  it("refuses the issue's example as a grid, at the continuous parameters", () => {
    const r = validateSweepYaml(read('lenet-vs-mlp-activations.yaml').replace('method: tpe', 'method: grid'));
    expect(r.ok ? [] : r.issues.map((i) => [i.path, i.line])).toEqual([
      ['parameters.optimizer.learningRate.distribution', 12],
      ['parameters.dropout.distribution', 14],
    ]);
  });
});
