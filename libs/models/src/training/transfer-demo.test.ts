import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';

import { runTransferDemo } from './transfer-demo';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('transfer demo (MNIST -> Fashion-MNIST)', () => {
  it('records a frozen, a fine-tuned and a from-scratch run, all above chance', async () => {
    const runs = await runTransferDemo({
      pretrainPerClass: 30,
      pretrainEpochs: 3,
      targetPerClass: 20,
      headEpochs: 2,
      fineTuneEpochs: 2,
      validationSize: 50,
      testPerClass: 10,
      batchSize: 20,
      learningRate: 0.003,
      backend: 'wasm',
    });
    expect(runs.map((r) => [r.name, r.result.status])).toEqual([
      ['pretrain-mnist', 'succeeded'],
      ['frozen', 'succeeded'],
      ['fine-tuned', 'succeeded'],
      ['scratch', 'succeeded'],
    ]);
    const byName = Object.fromEntries(runs.map((r) => [r.name, r]));
    // Same budget of 4 target epochs; the fine-tuned run's last two are the unfrozen phase.
    expect(byName['fine-tuned']?.history.map((m) => m.phase)).toEqual(['train', 'train', 'finetune', 'finetune']);
    expect(byName['fine-tuned']?.history[2]?.lr).toBeCloseTo(0.0003, 10);
    expect(byName.frozen?.history).toHaveLength(4);
    expect(byName.scratch?.history).toHaveLength(4);
    // Same model (pretrained layers + new head) for both transfer runs.
    expect(byName.frozen?.result.paramCount).toBe(byName['fine-tuned']?.result.paramCount);
    for (const r of runs) {
      expect(r.result.testAccuracy, r.name).toBeGreaterThan(0.15);
      expect(Number.isFinite(r.result.testLoss), r.name).toBe(true);
    }
  });
});
