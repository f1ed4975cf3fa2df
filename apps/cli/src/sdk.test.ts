// The SDK in a user's own script: plain tfjs (cpu backend), run.callback(), the real API process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { init } from '@hyperzoo/client/sdk';

import { runHz, startApiProcess } from './testing';
import type { TApiProcess } from './testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let api: TApiProcess;
let dir: string;
const config = { architecture: 'mlp' as const, epochs: 3 };

/** A tiny classifier on fixed random data: 3 epochs in well under a second on the cpu backend. */
async function trainTiny(callbacks: object[]) {
  const x = tf.randomNormal([40, 4], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 2), 'int32'), 2);
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  try {
    return await model.fit(x, y, { epochs: 3, batchSize: 10, validationSplit: 0.25, verbose: 0, callbacks });
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  api = await startApiProcess();
  dir = mkdtempSync(path.join(tmpdir(), 'hz-sdk-'));
}, 120_000);
afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hz.init + run.callback() with model.fit', { timeout: 180_000 }, () => {
  it('logs each epoch in Keras names to Postgres and marks the run succeeded at the end of training', async () => {
    const run = await init({ project: 'notebook', name: 'tiny', config, apiUrl: api.url, apiKey: api.seed.apiKey, dir, mode: 'online' });
    expect(run.mode).toBe('online');
    const history = await trainTiny([run.callback()]);
    await run.finish(); // already done by onTrainEnd: waits for it

    const row = await api.db.db.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, source: true, name: true, finishedAt: true, project: { select: { slug: true } } } });
    expect(row).toMatchObject({ status: 'succeeded', source: 'sdk', name: 'tiny', project: { slug: 'notebook' } });
    expect(row.finishedAt).toBeInstanceOf(Date);
    const epochs = await api.db.db.epochMetric.findMany({ where: { runId: run.id }, orderBy: { epoch: 'asc' } });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const h = history.history as Record<string, number[]>;
    for (const [i, e] of epochs.entries()) {
      expect(e.loss).toBeCloseTo(h.loss?.[i] ?? NaN, 5);
      expect(e.accuracy).toBeCloseTo(h.acc?.[i] ?? h.accuracy?.[i] ?? NaN, 5);
      expect(e.valLoss).toBeCloseTo(h.val_loss?.[i] ?? NaN, 5);
      expect(e.valAccuracy).toBeCloseTo(h.val_acc?.[i] ?? h.val_accuracy?.[i] ?? NaN, 5);
      expect(e.durationMs).toBeGreaterThan(0);
      expect(e.imagesPerSec).toBeGreaterThan(0);
    }
  });

  it('run.finish({ error }) marks the run failed with the error text', async () => {
    const run = await init({ project: 'notebook', config, apiUrl: api.url, apiKey: api.seed.apiKey, dir, mode: 'online' });
    try {
      await trainTiny([run.callback({ finish: false })]);
      throw new Error('out of memory in my own code');
    } catch (err) {
      await run.finish({ error: err });
    }
    const row = await api.db.db.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, error: true, _count: { select: { epochs: true } } } });
    expect(row).toEqual({ status: 'failed', error: 'out of memory in my own code', _count: { epochs: 3 } });
  });

  it('with no API reachable logs offline to a directory, and hz sync uploads it once however often it runs', async () => {
    const offlineDir = mkdtempSync(path.join(dir, 'offline-'));
    const warnings: string[] = [];
    // A port nothing listens on: auto mode falls back to offline.
    const run = await init({ project: 'offline', config, apiUrl: 'http://127.0.0.1:9', apiKey: api.seed.apiKey, dir: offlineDir, onWarning: (m) => warnings.push(m) });
    expect(run.mode).toBe('offline');
    expect(warnings.join('\n')).toMatch(/unreachable.*logging offline/);
    await trainTiny([run.callback()]);
    expect(await api.db.db.run.count({ where: { id: run.id } })).toBe(0);
    expect(readdirSync(run.dir).sort()).toEqual(['epochs.jsonl', 'result.json', 'run.json']);

    const env = { HZ_API_URL: api.url, HZ_API_KEY: api.seed.apiKey };
    const first = runHz(['sync', run.dir, '--json'], env);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual([{ dir: run.dir, runId: run.id, epochs: 3, finished: true, alreadyFinished: false }]);
    const again = runHz(['sync', run.dir, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject([{ runId: run.id, alreadyFinished: true }]);

    const row = await api.db.db.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, source: true, project: { select: { slug: true } }, _count: { select: { epochs: true } } } });
    expect(row).toEqual({ status: 'succeeded', source: 'sdk', project: { slug: 'offline' }, _count: { epochs: 3 } });
    expect(await api.db.db.run.count({ where: { project: { slug: 'offline' } } })).toBe(1);
  });

  it('a script that dies of an exception leaves its run failed locally, and hz sync marks it failed', async () => {
    const crashDir = mkdtempSync(path.join(dir, 'crash-'));
    const script = `
      import { init } from '@hyperzoo/client/sdk';
      const run = await init({ project: 'crash', config: { architecture: 'mlp' }, mode: 'offline', dir: ${JSON.stringify(crashDir)}, onWarning: () => {} });
      run.log({ epoch: 1, phase: 'train', loss: 1, accuracy: null, val_loss: null, val_accuracy: null, lr: null, duration_ms: 5, images_per_sec: null });
      setTimeout(() => { throw new Error('CUDA out of memory'); }, 10);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(1);
    expect(child.stderr).toContain('CUDA out of memory');
    const [runDir] = readdirSync(crashDir);
    const synced = runHz(['sync', path.join(crashDir, runDir ?? ''), '--json'], { HZ_API_URL: api.url, HZ_API_KEY: api.seed.apiKey });
    const [result] = JSON.parse(synced.stdout) as { runId: string }[];
    const row = await api.db.db.run.findUniqueOrThrow({ where: { id: result?.runId }, select: { status: true, error: true, _count: { select: { epochs: true } } } });
    expect(row).toEqual({ status: 'failed', error: 'CUDA out of memory', _count: { epochs: 1 } });
  });

  it('refuses a bad key at init instead of silently going offline', async () => {
    await expect(init({ config, apiUrl: api.url, apiKey: 'hz_bad_bad', dir })).rejects.toThrow(/log in or send an API key/);
  });
});
