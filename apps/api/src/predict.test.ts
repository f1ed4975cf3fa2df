// runs.predict end to end, all real: a tiny run trained by a worker process, then predictions
// through the API, which enqueues them for the team's worker and waits for its answer.
import { randomUUID } from 'node:crypto';

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';

import { isFinal, startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack, WorkerProc } from './testing/stack';

let s: TestStack;
let worker: WorkerProc;
let runId: string;
/** Fashion-MNIST's labels in order (libs/data), as the answer must name them. */
const FASHION_MNIST = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** A 28 x 28 grey "trouser": two bright vertical bars on black, like Fashion-MNIST's. */
const PIXELS = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (y > 3 && y < 25 && ((x > 8 && x < 13) || (x > 15 && x < 20)) ? 220 : 0)));
const png = async (pixels: number[][]) =>
  (await sharp(Buffer.from(pixels.flat()), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer()).toString('base64');
/** The tRPC error code a client call failed with (TRPCClientError.data.code). */
const codeOf = (err: unknown) => (err as { data?: { code?: string } } | null)?.data?.code ?? String(err);
const dataOf = (err: unknown) => JSON.stringify((err as { data?: unknown } | null)?.data);

beforeAll(async () => {
  s = await startTestStack();
  worker = s.startWorker();
  runId = (await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: tinyMlpConfig(1) })).id;
  const run = await s.waitForRun(runId, isFinal, 200_000);
  expect(run.status, `run ended ${run.status} (${run.error}); worker said:\n${worker.output().slice(-3000)}`).toBe('succeeded');
}, 240_000);
afterAll(async () => {
  await s?.close();
});

describe('runs.predict', () => {
  it('answers the top-K Fashion-MNIST classes of a raw 28x28 array, best first, with class names', { timeout: 90_000 }, async () => {
    const out = await s.client.runs.predict.mutate({ runId, image: { kind: 'pixels', pixels: PIXELS }, topK: 3 });
    expect(out.runId).toBe(runId);
    expect(['model', 'best', 'checkpoint']).toContain(out.model.kind);
    expect(out.predictions).toHaveLength(3);
    const probs = out.predictions.map((p) => p.probability);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    expect(probs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
    for (const p of out.predictions) expect(p.className).toBe(FASHION_MNIST[p.classIndex]);
    expect(new Set(out.predictions.map((p) => p.classIndex)).size).toBe(3);
  });

  it('names the answers of a run on five of the classes (data.classes) after those classes', { timeout: 240_000 }, async () => {
    const config = tinyMlpConfig(1);
    const fiveId = (await s.client.runs.create.mutate({ teamSlug: s.seed.teamSlug, config: { ...config, data: { ...config.data, classes: [5, 6, 7, 8, 9] } } })).id;
    const run = await s.waitForRun(fiveId, isFinal, 200_000);
    expect(run.status, `run ended ${run.status} (${run.error})`).toBe('succeeded');
    const out = await s.client.runs.predict.mutate({ runId: fiveId, image: { kind: 'pixels', pixels: PIXELS }, topK: 5 });
    expect(out.predictions.map((p) => [p.classIndex, p.className]).sort()).toEqual([0, 1, 2, 3, 4].map((i) => [i, FASHION_MNIST[5 + i]]));
  });

  it('decodes a PNG of the same pixels to the same answer (lossless: the same model input)', { timeout: 60_000 }, async () => {
    const fromPixels = await s.client.runs.predict.mutate({ runId, image: { kind: 'pixels', pixels: PIXELS }, topK: 10 });
    const fromPng = await s.client.runs.predict.mutate({ runId, image: { kind: 'encoded', base64: await png(PIXELS) }, topK: 10 });
    expect(fromPng.predictions.map((p) => p.classIndex)).toEqual(fromPixels.predictions.map((p) => p.classIndex));
    fromPng.predictions.forEach((p, i) => expect(p.probability).toBeCloseTo(fromPixels.predictions[i]?.probability ?? NaN, 6));
  });

  it('refuses what the model cannot take, with the reason', { timeout: 60_000 }, async () => {
    const tooMany = await s.client.runs.predict.mutate({ runId, image: { kind: 'pixels', pixels: PIXELS }, topK: 11 }).catch((e: unknown) => e);
    expect(codeOf(tooMany)).toBe('BAD_REQUEST');
    expect((tooMany as Error).message).toMatch(/topK 11 is more than the model's 10 classes/);
    // A PNG cut short: the right signature, then nothing decodable.
    const broken = Buffer.from(await png(PIXELS), 'base64').subarray(0, 60).toString('base64');
    const undecodable = await s.client.runs.predict.mutate({ runId, image: { kind: 'encoded', base64: broken } }).catch((e: unknown) => e);
    expect(codeOf(undecodable)).toBe('BAD_REQUEST');
    expect((undecodable as Error).message).toMatch(/could not be decoded as PNG or JPEG/);
  });

  it('validates the image with zod paths before anything is queued', async () => {
    const gif = await s.client.runs.predict.mutate({ runId, image: { kind: 'encoded', base64: Buffer.from('GIF89a....').toString('base64') } }).catch((e: unknown) => e);
    expect(codeOf(gif)).toBe('BAD_REQUEST');
    expect(dataOf(gif)).toContain('image.base64');
    const short = await s.client.runs.predict.mutate({ runId, image: { kind: 'pixels', pixels: PIXELS.slice(1) } }).catch((e: unknown) => e);
    expect(dataOf(short)).toContain('image.pixels');
    const huge = await s.client.runs.predict.mutate({ runId, image: { kind: 'encoded', base64: `iVBORw0KGgo${'A'.repeat(800_000)}` } }).catch((e: unknown) => e);
    expect(codeOf(huge)).toMatch(/BAD_REQUEST|PAYLOAD_TOO_LARGE/);
  });

  it('says a run without a model has none, and hides another team’s run', async () => {
    const queued = await s.db.db.run.create({
      data: { projectId: (await s.db.db.run.findUniqueOrThrow({ where: { id: runId } })).projectId, name: 'no-model', config: {}, architecture: 'mlp', dataset: 'fashion-mnist' },
    });
    const none = await s.client.runs.predict.mutate({ runId: queued.id, image: { kind: 'pixels', pixels: PIXELS } }).catch((e: unknown) => e);
    expect(codeOf(none)).toBe('PRECONDITION_FAILED');
    expect((none as Error).message).toMatch(/has no trained model yet/);
    const other = await seedTeam(s.db.db);
    const foreign = createHyperzooClient({ url: s.api.url, apiKey: other.apiKey });
    for (const id of [runId, randomUUID()]) {
      const refused = await foreign.runs.predict.mutate({ runId: id, image: { kind: 'pixels', pixels: PIXELS } }).catch((e: unknown) => e);
      expect(codeOf(refused)).toBe('NOT_FOUND');
    }
  });

  it('answers a clear error when no worker serves the team', { timeout: 60_000 }, async () => {
    await worker.kill('SIGKILL');
    const started = Date.now();
    const err = await s.client.runs.predict.mutate({ runId, image: { kind: 'pixels', pixels: PIXELS } }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe('PRECONDITION_FAILED');
    expect((err as Error).message).toMatch(/no worker/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
