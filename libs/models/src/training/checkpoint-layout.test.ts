import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TEpochMetric } from '@hyperzoo/schemas';

import { checkpointName, LATEST, readCheckpointHistory, type TCheckpointState } from './checkpoint-layout';
import { initialEarlyStoppingState } from './early-stopping';

/** Imports a module in a fresh Node process whose resolver refuses any @tensorflow/* import. */
function importWithoutTfjs(file: string): { status: number | null; output: string } {
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier.startsWith('@tensorflow/')) throw new Error('tfjs imported: ' + specifier + ' from ' + context.parentURL);
    return next(specifier, context);
  }`;
  const script = `import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    await import(${JSON.stringify(new URL(file, import.meta.url).href)});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('@hyperzoo/models/checkpoint-layout', () => {
  it('loads without tfjs (the worker process reads checkpoints through it)', () => {
    const r = importWithoutTfjs('./checkpoint-layout.ts');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the same probe catches the tfjs of the package root (the check can fail)', () => {
    const r = importWithoutTfjs('../index.ts');
    expect(r.output).toMatch(/tfjs imported: @tensorflow\//);
    expect(r.status).not.toBe(0);
  });
});

describe('readCheckpointHistory', () => {
  let root: string;
  const metric = (epoch: number): TEpochMetric => ({
    epoch,
    phase: 'train',
    loss: 1 / epoch,
    accuracy: 0.5,
    val_loss: null,
    val_accuracy: null,
    lr: 0.001,
    duration_ms: 10,
    images_per_sec: null,
  });
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hz-ckpt-layout-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives the epochs of the checkpoint `latest` points at, and [] where there is none', async () => {
    expect(await readCheckpointHistory(join(root, LATEST))).toEqual([]);
    const state: TCheckpointState = {
      version: 1,
      epoch: 2,
      phase: 'train',
      phaseStart: 1,
      phaseDone: false,
      earlyStopping: initialEarlyStoppingState(),
      rngState: 7,
      learningRate: 0.001,
      history: [metric(1), metric(2)],
      isBest: true,
      earlierStoppedEpoch: null,
    };
    mkdirSync(join(root, checkpointName(2)));
    writeFileSync(join(root, checkpointName(2), 'state.json'), JSON.stringify(state));
    symlinkSync(checkpointName(2), join(root, LATEST), 'dir');
    expect(await readCheckpointHistory(join(root, LATEST))).toEqual([metric(1), metric(2)]);
  });

  it('names the file and the field of a broken state', async () => {
    mkdirSync(join(root, checkpointName(3)));
    writeFileSync(join(root, checkpointName(3), 'state.json'), JSON.stringify({ version: 1, epoch: 0 }));
    await expect(readCheckpointHistory(join(root, checkpointName(3)))).rejects.toThrow(/epoch-0003\/state\.json: invalid checkpoint state at epoch: /);
  });
});
