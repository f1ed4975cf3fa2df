import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OPTIMIZERS, type TEpochMetric } from '@hyperzoo/schemas';

import { checkpointName, readCheckpointState, readCheckpointWeights } from './checkpoint';
import type { TBatch, TBatchSource } from './fit';
import { buildTinyModel, makeBandData, tinyConfig } from './test-fixtures';
import { trainModel } from './trainer';
import { collectWeights } from './weights';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'hz-trainer-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const data = makeBandData();
const losses = (h: TEpochMetric[]) => h.map((m) => m.loss);

async function train(config: ReturnType<typeof tinyConfig>, hooks: Parameters<typeof trainModel>[0]['hooks'] = {}, model = buildTinyModel(config.seed)) {
  const result = await trainModel({ config, model, data, hooks });
  const weights = collectWeights(result.model).map((w) => Array.from(w.read().dataSync()));
  result.model.dispose();
  return { ...result, weights };
}

describe('trainModel', () => {
  it('learns the synthetic task and reports Keras-named metrics for every epoch', async () => {
    const r = await train(tinyConfig({ epochs: 6, optimizer: { name: 'adam', learningRate: 0.01 } }));
    expect(r.status).toBe('succeeded');
    expect(r.history.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const m of r.history) {
      expect(m).toMatchObject({ phase: 'train', lr: 0.01 });
      expect(Object.keys(m).sort()).toEqual(['accuracy', 'duration_ms', 'epoch', 'images_per_sec', 'loss', 'lr', 'phase', 'val_accuracy', 'val_loss']);
    }
    expect(r.history[5]?.loss).toBeLessThan(r.history[0]?.loss as number);
    expect(r.testAccuracy).toBeGreaterThan(0.6);
    expect(r.testLoss).toBeGreaterThan(0);
    expect(r.paramCount).toBe(64 * 12 + 12 + 12 * 3 + 3);
    // No early stopping configured: best epoch is argmin val_loss, nothing stopped.
    const valLosses = r.history.map((m) => m.val_loss as number);
    expect(r.bestEpoch).toBe(valLosses.indexOf(Math.min(...valLosses)) + 1);
    expect(r.stoppedEpoch).toBeNull();
  });

  it('gives the same losses for the same seed, and different ones for another seed', async () => {
    const a = await train(tinyConfig({ epochs: 2 }));
    const b = await train(tinyConfig({ epochs: 2 }));
    const c = await train(tinyConfig({ epochs: 2, seed: 8 }));
    expect(a.history[0]?.loss).toBe(b.history[0]?.loss);
    expect(losses(a.history)).toEqual(losses(b.history));
    expect(c.history[0]?.loss).not.toBe(a.history[0]?.loss);
  });

  it.each(OPTIMIZERS)('resumes %s from a checkpoint with the same results as an uninterrupted run', async (name) => {
    const config = tinyConfig({
      epochs: 4,
      optimizer: { name, learningRate: name === 'adadelta' ? 1 : 0.01, momentum: name === 'sgd' || name === 'rmsprop' ? 0.9 : 0 },
      earlyStopping: { patience: 10, restoreBestWeights: true },
    });
    const straight = await train(config);
    const dir = join(root, `resume-${name}`);
    const cancel = new AbortController();
    const first = await train(config, {
      checkpointDir: dir,
      signal: cancel.signal,
      onEpochEnd: (m) => {
        if (m.epoch === 2) cancel.abort();
      },
    });
    expect(first.status).toBe('cancelled');
    expect(first.history).toHaveLength(2);
    const resumed = await train(config, { checkpointDir: dir, resumeFrom: dir });
    expect(resumed.status).toBe('succeeded');
    expect(losses(resumed.history)).toEqual(losses(straight.history));
    expect(resumed.history.map((m) => m.val_loss)).toEqual(straight.history.map((m) => m.val_loss));
    expect(resumed.bestEpoch).toBe(straight.bestEpoch);
    expect(resumed.testLoss).toBe(straight.testLoss);
    expect(resumed.weights).toEqual(straight.weights);
  });

  it('does not leak tensors: the count after epoch 2 equals the count after epoch 6', async () => {
    const counts: number[] = [];
    const config = tinyConfig({ epochs: 6, checkpointEvery: 1, earlyStopping: { patience: 100, restoreBestWeights: true } });
    const r = await train(config, { checkpointDir: join(root, 'leak'), onEpochEnd: () => void counts.push(tf.memory().numTensors) });
    expect(r.status).toBe('succeeded');
    expect(counts).toHaveLength(6);
    expect(counts[5]).toBe(counts[1]);
  });

  it('leaves no tensors behind once the returned model is disposed', async () => {
    const before = tf.memory().numTensors;
    await train(tinyConfig({ epochs: 2, earlyStopping: { restoreBestWeights: true } }), { checkpointDir: join(root, 'after') });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops at the next batch boundary when the signal aborts', async () => {
    const cancel = new AbortController();
    const seen: string[] = [];
    const r = await train(tinyConfig({ epochs: 5 }), {
      signal: cancel.signal,
      onBatchEnd: (p) => {
        seen.push(`${p.epoch}.${p.batch}`);
        if (p.epoch === 2 && p.batch === 2) cancel.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(r.history).toHaveLength(1);
    expect(seen.at(-1)).toBe('2.2');
    expect(r.testLoss).toBeNull();
  });

  it('reports diverged when the loss becomes NaN', async () => {
    let batches = 0;
    const poisoned: TBatchSource = function* (seed) {
      for (const b of data.train(seed) as Iterable<TBatch>) {
        batches += 1;
        if (batches === 6) {
          const xs = b.xs.mul(Number.NaN);
          b.xs.dispose();
          yield { ...b, xs };
        } else yield b;
      }
    };
    const config = tinyConfig({ epochs: 3 });
    const model = buildTinyModel(config.seed);
    const r = await trainModel({ config, model, data: { ...data, train: poisoned } });
    r.model.dispose();
    expect(r.status).toBe('diverged');
    expect(r.error).toMatch(/loss became NaN at epoch 2, batch 2/);
    expect(r.history).toHaveLength(1);
  });

  it('early-stops with Keras semantics and restores the best weights', async () => {
    // mode max on loss: every epoch after the first is worse, so patience 1 stops at epoch 2.
    const dir = join(root, 'early');
    const config = tinyConfig({
      epochs: 6,
      checkpointEvery: 0,
      optimizer: { name: 'adam', learningRate: 0.01 },
      earlyStopping: { monitor: 'loss', mode: 'max', patience: 1, restoreBestWeights: true },
    });
    const r = await train(config, { checkpointDir: dir });
    expect(r).toMatchObject({ status: 'succeeded', bestEpoch: 1, stoppedEpoch: 2 });
    expect(r.history).toHaveLength(2);
    const best = await readCheckpointWeights(join(dir, checkpointName(1)));
    expect(r.weights).toEqual(best.map((t) => Array.from(t.dataSync())));
    tf.dispose(best);
  });

  it('checkpoints every k epochs and at the best epoch, keeping the newest and the best', async () => {
    const dir = join(root, 'every');
    const seen: { epoch: number; isBest: boolean }[] = [];
    const config = tinyConfig({ epochs: 5, checkpointEvery: 2, earlyStopping: { monitor: 'loss', mode: 'max', patience: 10 } });
    await train(config, { checkpointDir: dir, onCheckpoint: ({ epoch, isBest }) => void seen.push({ epoch, isBest }) });
    // epoch 1 is best (max of a falling loss), 2 and 4 periodic, 5 the last.
    expect(seen).toEqual([
      { epoch: 1, isBest: true },
      { epoch: 2, isBest: false },
      { epoch: 4, isBest: false },
      { epoch: 5, isBest: false },
    ]);
    expect((await readdir(dir)).sort()).toEqual([checkpointName(1), checkpointName(5), 'latest']);
    expect(await readlink(join(dir, 'latest'))).toBe(checkpointName(5));
    const state = await readCheckpointState(join(dir, checkpointName(5)));
    expect(state).toMatchObject({ epoch: 5, phase: 'train', phaseStart: 1 });
    expect(state.history).toHaveLength(5);
    const files = (await readdir(join(dir, checkpointName(5)))).sort();
    expect(files).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin']);
  });

  it('writes checkpoints tf.loadLayersModel can read back (tfjs layers-model format)', async () => {
    const dir = join(root, 'format');
    const config = tinyConfig({ epochs: 1 });
    const result = await trainModel({ config, model: buildTinyModel(config.seed), data, hooks: { checkpointDir: dir } });
    const ckpt = join(dir, checkpointName(1));
    const json = JSON.parse(await readFile(join(ckpt, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    const bin = await readFile(join(ckpt, 'weights.bin'));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    );
    const x = tf.randomUniform([4, 8, 8, 1]);
    const a = result.model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    loaded.dispose();
    result.model.dispose();
  });

  describe('fine-tuning phase (transfer)', () => {
    const ftConfig = () =>
      tinyConfig({
        architecture: 'transfer',
        epochs: 2,
        optimizer: { name: 'adam', learningRate: 0.01 },
        transfer: { modelUrl: 'file:///unused', fineTune: { epochs: 2, learningRateFactor: 0.1 } },
      });

    it('trains the frozen model, then unfreezes and continues the epoch numbering at lr * factor', async () => {
      const config = ftConfig();
      const model = buildTinyModel(config.seed, 3, { frozenFirst: true });
      const frozenBefore = Array.from(collectWeights(model)[0]?.read().dataSync() ?? []);
      const frozenAfterPhase1: number[][] = [];
      const r = await trainModel({
        config,
        model,
        data,
        hooks: {
          onEpochEnd: (m) => {
            if (m.epoch === 2) frozenAfterPhase1.push(Array.from(collectWeights(model)[0]?.read().dataSync() ?? []));
          },
        },
      });
      const frozenAtEnd = Array.from(collectWeights(r.model)[0]?.read().dataSync() ?? []);
      r.model.dispose();
      expect(r.status).toBe('succeeded');
      expect(r.history.map((m) => [m.epoch, m.phase, m.lr])).toEqual([
        [1, 'train', 0.01],
        [2, 'train', 0.01],
        [3, 'finetune', 0.01 * 0.1],
        [4, 'finetune', 0.01 * 0.1],
      ]);
      expect(frozenAfterPhase1[0]).toEqual(frozenBefore);
      expect(frozenAtEnd).not.toEqual(frozenBefore);
    });

    it('resumes inside the fine-tuning phase like an uninterrupted run', async () => {
      const config = ftConfig();
      const straight = await train(config, {}, buildTinyModel(config.seed, 3, { frozenFirst: true }));
      const dir = join(root, 'ft-resume');
      const cancel = new AbortController();
      await train(config, { checkpointDir: dir, signal: cancel.signal, onEpochEnd: (m) => void (m.epoch === 3 && cancel.abort()) }, buildTinyModel(config.seed, 3, { frozenFirst: true }));
      const resumed = await train(config, { resumeFrom: dir }, buildTinyModel(config.seed, 3, { frozenFirst: true }));
      expect(resumed.history.map((m) => m.phase)).toEqual(['train', 'train', 'finetune', 'finetune']);
      expect(losses(resumed.history)).toEqual(losses(straight.history));
      expect(resumed.weights).toEqual(straight.weights);
    });
  });
});
