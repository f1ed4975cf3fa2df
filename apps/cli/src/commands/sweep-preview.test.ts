import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { previewSweepYaml } from '@hyperzoo/sweeps';

// The real `hz` binary, no server: the expansion and the checks are pure.
const bin = fileURLToPath(new URL('../../bin/hz.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../../examples/sweeps/', import.meta.url));
const hz = (...args: string[]) => spawnSync(process.execPath, [bin, 'sweep', 'preview', ...args], { encoding: 'utf8', timeout: 120_000 });

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hz-cli-sweep-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hz sweep preview (process)', { timeout: 120_000 }, () => {
  it('--json: one object, the library preview of the file (runs, per architecture, rungs)', () => {
    const path = join(EXAMPLES, 'transfer.yaml');
    const r = hz('-f', path, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ runs: 9, configurations: 3, repeats: 3, perArchitecture: { transfer: 6, lenet5: 3 } });
    const lib = previewSweepYaml(readFileSync(path, 'utf8'));
    expect(lib.ok && out).toEqual(lib.ok && lib.preview);
  });

  it('the human form: a parameter table, the run count and the rungs', () => {
    const r = hz('-f', join(EXAMPLES, 'lenet-vs-mlp-activations.yaml'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^parameter +architectures +distribution +values +count$/m);
    expect(r.stdout).toMatch(/^optimizer\.learningRate +mlp,lenet5 +log_uniform +0\.0001 \.\. 0\.1 +continuous$/m);
    expect(r.stdout).toMatch(/^up to 198 runs: 66 configurations x 3 repeats/m);
    expect(r.stdout).toMatch(/^hyperband rungs \(epochs\): 3, 9, 27$/m);
  });

  // Every course experiment (examples/sweeps) previews through the binary, as its README tells users to.
  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('examples/sweeps/%s previews: exit 0, its runs on stdout', (name) => {
    const r = hz('-f', join(EXAMPLES, name));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^(up to )?\d+ runs/m);
  });

  const spec = (dropout: string) => `name: bad\narchitectures: [mlp]\nmethod: grid\nmetric: { name: val_accuracy }\nparameters:\n  dropout: ${dropout}\n`;
  it.each([
    ['a parameter out of range', () => ['-f', file('range.yaml', spec('{ values: [0, 2] }'))], /^hz sweep: .*range\.yaml:6:26: parameters\.dropout\.values\.1: 2 is refused at dropout: /],
    ['an unknown metric', () => ['-f', file('metric.yaml', spec('{ value: 0 }').replace('val_accuracy', 'val_auc'))], /^hz sweep: .*metric\.yaml:4:17: metric\.name: /],
    ['a grid over a continuous range', () => ['-f', file('grid.yaml', spec('{ distribution: uniform, min: 0, max: 0.5 }'))], /^hz sweep: .*grid\.yaml:6:\d+: parameters\.dropout\.distribution: /],
    ['malformed YAML', () => ['-f', file('bad.yaml', 'name: [x\n')], /^hz sweep: .*bad\.yaml:2:1: \(spec\): /],
    ['a missing file', () => ['-f', join(dir, 'missing.yaml')], /^hz sweep: cannot read .*missing\.yaml: no such file$/],
  ])('%s: the path (and line) on stderr, nothing on stdout, exit code 2', (_, args, message) => {
    const r = hz(...args(), '--json');
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(message);
    expect(r.status).toBe(2);
  });
});
