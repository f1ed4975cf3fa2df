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
type TRun = ReturnType<typeof expandSweep>[number];
/** The course protocol (issue 14): full Fashion-MNIST, 5,000 validation images, batch 32, Adam, at most 30 epochs, patience 10 on val_loss. */
const expectProtocol = (r: TRun, data: object = { dataset: 'fashion-mnist', subsetPerClass: null, validationSize: 5000, testPerClass: null }) =>
  expect(r.config).toMatchObject({ data, batchSize: 32, epochs: 30, earlyStopping: { monitor: 'val_loss', patience: 10, restoreBestWeights: true } });
const valuesOf = (runs: TRun[], pick: (r: TRun) => unknown) => new Set(runs.map((r) => JSON.stringify(pick(r))));
const SEEDS = 3;

// What each course experiment must come to (ZOO.md, issue 14), so an edit that changes a sweep shows here.
const EXPECTED: Record<string, { runs: number; check?: (runs: TRun[]) => void }> = {
  'mlp.yaml': {
    runs: 3,
    check: (runs) => {
      for (const r of runs) expectProtocol(r);
      for (const r of runs) expect(r.config).toMatchObject({ architecture: 'mlp', activation: 'relu', optimizer: { name: 'adam', learningRate: 0.001 } });
      expect(valuesOf(runs, (r) => r.config.seed).size).toBe(SEEDS);
    },
  },
  'lenet5-activation-optimizer.yaml': {
    runs: 12,
    check: (runs) => {
      for (const r of runs) expectProtocol(r);
      const combos = valuesOf(runs, (r) => r.config.architecture === 'lenet5' && [r.config.activation, r.config.denseActivation, r.config.optimizer.name, r.config.optimizer.learningRate]);
      expect(combos).toEqual(new Set(['["relu","sigmoid","adam",0.001]', '["relu","sigmoid","sgd",0.01]', '["relu","relu","adam",0.001]', '["relu","relu","sgd",0.01]']));
      expect(valuesOf(runs, (r) => r.config.seed).size).toBe(SEEDS);
    },
  },
  'early-stopping-patience.yaml': {
    runs: 18,
    check: (runs) => {
      for (const r of runs) expect(r.config).toMatchObject({ architecture: 'lenet5', batchSize: 32, epochs: 30, data: { subsetPerClass: null, validationSize: 5000 } });
      expect(valuesOf(runs, (r) => [r.config.earlyStopping?.monitor, r.config.earlyStopping?.patience, r.config.earlyStopping?.restoreBestWeights]).size).toBe(6);
    },
  },
  'alexnet-dropout.yaml': {
    runs: 9,
    check: (runs) => {
      for (const r of runs) expectProtocol(r, { subsetPerClass: null, validationSize: 5000, inputSize: 67 });
      expect(valuesOf(runs, (r) => r.config.architecture === 'alexnet' && [r.config.dropout, r.config.width])).toEqual(new Set(['[0,1]', '[0.25,1]', '[0.5,1]']));
    },
  },
  'alexnet-dropout-small.yaml': {
    runs: 9,
    check: (runs) => {
      for (const r of runs) expectProtocol(r, { subsetPerClass: 1000, validationSize: 1000, inputSize: 67 });
      expect(valuesOf(runs, (r) => r.config.architecture === 'alexnet' && [r.config.dropout, r.config.width])).toEqual(new Set(['[0,0.25]', '[0.25,0.25]', '[0.5,0.25]']));
    },
  },
  'googlenet-vs-resnet-small.yaml': {
    runs: 6,
    check: (runs) => {
      for (const r of runs) expectProtocol(r, { subsetPerClass: 200, validationSize: 400, testPerClass: 100 });
      expect(valuesOf(runs, (r) => r.config.architecture)).toEqual(new Set(['"googlenet"', '"resnet"']));
      for (const r of runs) expect(r.config).toMatchObject({ width: 0.25, stem: 'small' });
    },
  },
  'googlenet-vs-resnet.yaml': {
    runs: 6,
    check: (runs) => {
      for (const r of runs) expectProtocol(r);
      expect(valuesOf(runs, (r) => r.config.architecture)).toEqual(new Set(['"googlenet"', '"resnet"']));
      for (const r of runs) expect(r.config).toMatchObject({ width: 0.25, stem: 'small' });
    },
  },
  'transfer-backbone.yaml': {
    runs: 1,
    check: (runs) => {
      for (const r of runs) expectProtocol(r, { classes: [0, 1, 2, 3, 4], subsetPerClass: null, validationSize: 5000 });
    },
  },
  'transfer.yaml': {
    runs: 9,
    check: (runs) => {
      for (const r of runs) expectProtocol(r, { classes: [5, 6, 7, 8, 9], subsetPerClass: 100, validationSize: 500 });
      const ways = valuesOf(runs, (r) => (r.config.architecture === 'transfer' ? (r.config.transfer.fineTune ? 'fine-tuned' : 'frozen') : 'scratch'));
      expect(ways).toEqual(new Set(['"frozen"', '"fine-tuned"', '"scratch"']));
      for (const r of runs) if (r.config.architecture === 'transfer') expect(r.config.transfer.fromRunId).toBe('BACKBONE_RUN_ID');
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
