import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TEpochMetric } from '@hyperzoo/schemas';

import { checkpointName, LATEST, readCheckpointHistory, type TCheckpointState } from './checkpoint-layout';
import { initialEarlyStoppingState } from './early-stopping';
import { importWithoutTfjs } from '../testing/import-without-tfjs';

describe('@hyperzoo/models/checkpoint-layout', () => {
  it('loads without tfjs (the worker process reads checkpoints through it)', () => {
    const r = importWithoutTfjs(new URL('./checkpoint-layout.ts', import.meta.url));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the same probe catches the tfjs of the package root (the check can fail)', () => {
    const r = importWithoutTfjs(new URL('../index.ts', import.meta.url));
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
