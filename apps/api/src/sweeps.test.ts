// Sweeps end to end: the API over HTTP, a real worker training tiny MLPs on wasm.
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TSweepDetail } from '@hyperzoo/schemas';

import { startTestStack } from './testing/stack';
import type { TestStack } from './testing/stack';

const DATA = { dataset: 'fashion-mnist', subsetPerClass: 10, validationSize: 0.2, testPerClass: 5 } as const;

describe('sweeps with a real worker', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
    s.startWorker();
  });
  afterAll(async () => {
    await s?.close();
  });

  async function waitForSweep(sweepId: string, timeoutMs: number): Promise<TSweepDetail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sweep = await s.client.sweeps.get.query({ sweepId });
      if (sweep.status === 'finished' || sweep.status === 'cancelled') return sweep;
      if (Date.now() > deadline) throw new Error(`sweep ${sweepId} still ${sweep.status}: ${JSON.stringify(sweep.counts)}`);
      await sleep(500);
    }
  }

  it('a 2x2 grid of tiny runs finishes, with its best run and summary stored', { timeout: 600_000 }, async () => {
    const created = await s.client.sweeps.create.mutate({
      teamSlug: s.seed.teamSlug,
      spec: {
        name: 'grid-2x2',
        architectures: ['mlp'],
        dataset: DATA,
        method: 'grid',
        metric: { name: 'val_accuracy' },
        maxConcurrent: 2,
        parameters: { activation: { values: ['relu', 'sigmoid'] }, 'optimizer.name': { values: ['adam', 'sgd'] }, epochs: { value: 1 }, batchSize: { value: 16 } },
      },
    });
    expect(created).toMatchObject({ runs: 4, queued: 2 });
    const done = await waitForSweep(created.sweepId, 580_000);
    expect(done.status).toBe('finished');
    expect(done.counts).toMatchObject({ succeeded: 4, failed: 0, queued: 0, running: 0 });
    expect(done.runs.map((r) => r.params).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { activation: 'relu', 'optimizer.name': 'adam', epochs: 1, batchSize: 16 },
      { activation: 'relu', 'optimizer.name': 'sgd', epochs: 1, batchSize: 16 },
      { activation: 'sigmoid', 'optimizer.name': 'adam', epochs: 1, batchSize: 16 },
      { activation: 'sigmoid', 'optimizer.name': 'sgd', epochs: 1, batchSize: 16 },
    ]);
    const bestValue = Math.max(...done.runs.map((r) => r.bestValue ?? -1));
    expect(done.best?.value).toBe(bestValue);
    expect(done.summary?.bestRuns[0]).toMatchObject({ runId: done.best?.runId, value: bestValue });
  });

  it('Hyperband prunes the bad arm (learning rate 10) at its rung, where the trainer waited', { timeout: 600_000 }, async () => {
    const created = await s.client.sweeps.create.mutate({
      teamSlug: s.seed.teamSlug,
      spec: {
        name: 'hyperband',
        architectures: ['mlp'],
        dataset: DATA,
        method: 'grid',
        metric: { name: 'val_accuracy' },
        // One at a time: the good arm (configuration 0) sets the rung before the bad one reaches it.
        maxConcurrent: 1,
        parameters: { 'optimizer.learningRate': { values: [0.001, 10] }, epochs: { value: 3 }, batchSize: { value: 16 } },
        earlyTermination: { type: 'hyperband', minEpochs: 1, eta: 2 },
      },
    });
    const done = await waitForSweep(created.sweepId, 580_000);
    const [good, bad] = [...done.runs].sort((a, b) => (a.configuration ?? 0) - (b.configuration ?? 0));
    expect(good).toMatchObject({ status: 'succeeded', epochs: 3, prunedRung: null });
    expect(bad).toMatchObject({ status: 'pruned', prunedRung: 0, epochs: 1 });
    expect(bad?.prunedCutoff).toBeGreaterThan(bad?.bestValue ?? 1);
    const detail = await s.client.runs.get.query({ runId: bad?.id ?? '' });
    expect(detail).toMatchObject({ status: 'pruned', prunedRung: 0, prunedCutoff: bad?.prunedCutoff });
    expect(detail.epochs.map((e) => e.epoch)).toEqual([1]);
    expect(done.status).toBe('finished');
    expect(done.best?.runId).toBe(good?.id);
  });

  it('refuses an impossible spec over HTTP with the issues and their paths in the error data', async () => {
    const err = await s.client.sweeps.create
      .mutate({ teamSlug: s.seed.teamSlug, yaml: 'name: x\nmethod: grid\narchitectures: [mlp]\nmetric: { name: val_accuracy }\nparameters:\n  depth: { values: [1, 2] }\n' })
      .catch((e: unknown) => e);
    const data = (err as { data?: { httpStatus?: number; issues?: unknown } }).data;
    expect(data?.httpStatus).toBe(400);
    expect(data?.issues).toEqual([{ path: 'parameters.depth', message: 'depth is not an option of mlp', line: 6, column: 10 }]);
  });
});
