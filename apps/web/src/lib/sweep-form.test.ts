import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { SWEEP_EXAMPLES } from './sweep-examples';
import {
  assignIssues,
  formatListText,
  getArchitectureNames,
  getParameterKind,
  parseListText,
  setArchitecture,
  setIn,
  setMethod,
  specToYaml,
  yamlToSpec,
} from './sweep-form';

const EXAMPLES_DIR = path.resolve(import.meta.dirname, '../../../../examples/sweeps');

describe('sweep form helpers', () => {
  it('tells fixed values, lists and ranges from what only YAML can edit', () => {
    expect(getParameterKind({ value: 30 })).toBe('fixed');
    expect(getParameterKind({ values: [1, 2] })).toBe('list');
    expect(getParameterKind({ distribution: 'log_uniform', min: 1e-4, max: 0.1 })).toBe('range');
    expect(getParameterKind({ distribution: 'int_uniform', min: 1, max: 5 })).toBe('range');
    expect(getParameterKind({ values: [1, 2], weights: [1, 3] })).toBe('other');
    expect(getParameterKind({ distribution: 'normal', mu: 0, sigma: 1 })).toBe('other');
    expect(getParameterKind(7)).toBe('other');
  });

  it('reads a typed list as YAML values and writes it back the same', () => {
    const list = parseListText('relu, 0.5, { name: adam, learningRate: 0.001 }');
    expect(list).toEqual(['relu', 0.5, { name: 'adam', learningRate: 0.001 }]);
    expect(parseListText(formatListText(list))).toEqual(list);
  });

  it('sets and removes nested keys without touching the rest', () => {
    const spec = { name: 'a', earlyTermination: { type: 'hyperband', minEpochs: 3 } };
    expect(setIn(spec, ['earlyTermination', 'eta'], 3)).toEqual({ name: 'a', earlyTermination: { type: 'hyperband', minEpochs: 3, eta: 3 } });
    expect(setIn(spec, ['earlyTermination'], undefined)).toEqual({ name: 'a' });
    expect(spec).toEqual({ name: 'a', earlyTermination: { type: 'hyperband', minEpochs: 3 } });
  });

  it("keeps TPE's options only with TPE and round-trips them through YAML", () => {
    const tpe = setIn(setIn({ name: 'a', method: 'tpe', maxRuns: 20 }, ['tpe', 'startupTrials'], 5), ['tpe', 'eiCandidates'], 48);
    expect(tpe.tpe).toEqual({ startupTrials: 5, eiCandidates: 48 });
    const text = specToYaml(tpe);
    expect(text).toContain('tpe:\n  startupTrials: 5\n  eiCandidates: 48');
    expect(yamlToSpec(text)).toEqual({ ok: true, spec: tpe });
    // Emptying both fields leaves no `tpe: {}` behind.
    expect(setIn(setIn(tpe, ['tpe', 'startupTrials'], undefined), ['tpe', 'eiCandidates'], undefined)).toEqual({ name: 'a', method: 'tpe', maxRuns: 20 });
    expect(setMethod(tpe, 'random')).toEqual({ name: 'a', method: 'random', maxRuns: 20 });
    expect(setMethod(tpe, 'tpe')).toEqual(tpe);
  });

  it('ticks architectures in a list and in per-architecture blocks', () => {
    const order = ['mlp', 'lenet5', 'alexnet'];
    expect(setArchitecture({ architectures: ['lenet5'] }, 'mlp', true, order).architectures).toEqual(['mlp', 'lenet5']);
    const blocks = setArchitecture({ architectures: { alexnet: { parameters: { dropout: { value: 0.5 } } } } }, 'mlp', true, order);
    expect(blocks.architectures).toEqual({ alexnet: { parameters: { dropout: { value: 0.5 } } }, mlp: {} });
    expect(getArchitectureNames(setArchitecture(blocks, 'alexnet', false, order))).toEqual(['mlp']);
  });

  it('puts each API issue at the field it concerns, the longest matching key first', () => {
    const fields = ['name', 'parameters.optimizer', 'parameters.optimizer.learningRate', 'maxRuns'];
    const byField = assignIssues(
      [
        { path: 'parameters.optimizer.learningRate.max', message: 'min must be below max' },
        { path: 'maxRuns', message: 'tpe search needs maxRuns' },
        { path: 'seed', message: 'too large' },
      ],
      fields,
    );
    expect(byField.get('parameters.optimizer.learningRate')).toEqual(['min must be below max']);
    expect(byField.get('maxRuns')).toEqual(['tpe search needs maxRuns']);
    expect(byField.get('')).toEqual(['seed: too large']);
    expect(byField.has('parameters.optimizer')).toBe(false);
    // YAML mode has no fields: an issue names its line and path.
    const yaml = assignIssues([{ path: 'parameters.dropout.max', message: 'min must be below max', line: 7 }, { path: '', message: 'unexpected end', line: 3 }], []);
    expect(yaml.get('')).toEqual(['line 7, parameters.dropout.max: min must be below max', 'line 3: unexpected end']);
  });

  it('round-trips every example between YAML and the form object', () => {
    for (const { file, yaml } of SWEEP_EXAMPLES) {
      const parsed = yamlToSpec(yaml);
      if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
      const again = yamlToSpec(specToYaml(parsed.spec));
      expect(again, file).toEqual(parsed);
    }
  });

  it('names the line of a YAML syntax error', () => {
    const result = yamlToSpec('name: a\narchitectures: [mlp\nmethod: grid\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/line \d+/);
  });

  it('bundles exactly the files of examples/sweeps', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(SWEEP_EXAMPLES.map((e) => e.file)).toEqual(files);
    for (const e of SWEEP_EXAMPLES) expect(e.yaml, `${e.file} differs from examples/sweeps (copy it into src/lib/sweep-examples.ts)`).toBe(readFileSync(path.join(EXAMPLES_DIR, e.file), 'utf8'));
  });
});
