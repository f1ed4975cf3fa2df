import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { ZEpochMetric, ZRunResult } from '@hyperzoo/schemas';

import { parseTrainFlags } from './train';

describe('parseTrainFlags', () => {
  it('maps flags onto a run config with the schema defaults', () => {
    const { config, backend } = parseTrainFlags({
      arch: 'lenet5',
      dataset: 'mnist',
      epochs: '3',
      subset: '20',
      batch: '64',
      backend: 'wasm',
      optimizer: 'sgd',
      lr: '0.05',
      momentum: '0.9',
      patience: '2',
      dropout: '0.25',
      activation: 'tanh',
    });
    expect(backend).toBe('wasm');
    expect(config).toMatchObject({
      architecture: 'lenet5',
      data: { dataset: 'mnist', subsetPerClass: 20, validationSize: 5000 },
      epochs: 3,
      batchSize: 64,
      optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9 },
      activation: 'tanh',
      dropout: 0.25,
      earlyStopping: { monitor: 'val_loss', patience: 2, restoreBestWeights: false },
      seed: 42,
    });
  });

  it('leaves early stopping off unless asked for', () => {
    expect(parseTrainFlags({ arch: 'mlp' }).config.earlyStopping).toBeNull();
    expect(parseTrainFlags({ arch: 'mlp', restoreBest: true }).config.earlyStopping).toMatchObject({ patience: 10, restoreBestWeights: true });
  });

  it.each([
    [{ arch: 'mlp', epochs: 'ten' }, /invalid --epochs \(epochs\): .*expected number/],
    [{ arch: 'mlp', epochs: '0' }, /invalid --epochs \(epochs\): Too small/],
    [{ arch: 'vgg' }, /invalid --arch \(architecture\): .*mlp/],
    [{ arch: 'mlp', optimizer: 'lion' }, /invalid --optimizer \(optimizer\.name\)/],
    [{ arch: 'mlp', lr: '-1' }, /invalid --lr \(optimizer\.learningRate\)/],
    [{ arch: 'mlp', subset: '2.5' }, /invalid --subset \(data\.subsetPerClass\)/],
    [{ arch: 'mlp', patience: '-3' }, /invalid --patience \(earlyStopping\.patience\)/],
    [{ arch: 'mlp', channels: '2' }, /invalid --channels \(data\.channels\)/],
    [{ arch: 'mlp', dropout: '1.5' }, /invalid --dropout \(dropout\)/],
    [{ arch: 'mlp', backend: 'tpu' }, /invalid --backend \(backend\)/],
  ])('rejects %o with the flag and the zod path', (flags, message) => {
    expect(() => parseTrainFlags(flags)).toThrow(message);
  });
});

describe('hz train (process)', () => {
  const require = createRequire(import.meta.url);
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const hz = (...args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), main, 'train', ...args], { encoding: 'utf8', timeout: 120_000 });

  it('--json prints one Keras-named line per epoch, then the result', () => {
    const r = hz('--arch', 'mlp', '--subset', '4', '--epochs', '2', '--batch', '20', '--backend', 'wasm', '--validation-size', '20', '--test-per-class', '2', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).map((l) => ZEpochMetric.parse(l).epoch)).toEqual([1, 2]);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(['loss', 'accuracy', 'val_loss', 'val_accuracy']));
    expect(ZRunResult.parse(lines[2])).toMatchObject({ status: 'succeeded', paramCount: 266_610, backend: 'wasm' });
    expect(lines[2].epochs).toBe(2);
  });

  it('exits 2 with the zod path on a bad flag', () => {
    const r = hz('--arch', 'mlp', '--batch', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/hz train: invalid --batch \(batchSize\): Too small/);
  });
});
