/**
 * Our zoo against the published reference accuracies (ZOO.md), on the whole Fashion-MNIST
 * training split less the course's 5,000 validation images, tested on the 10,000 test images:
 *   npm run bench:accuracy -- [--only mlp,lenet5-sigmoid,lenet5-relu,lenet5-sgd] [--epochs 30]
 * One JSON line per configuration: test accuracy, best/stopped epoch, wall time, reference.
 * Training goes through runTraining, the worker's own path (wasm unless --backend).
 */
import { parseArgs } from 'node:util';

import { runTraining } from '@hyperzoo/models';
import { ZRunConfig } from '@hyperzoo/schemas';
import type { TRunConfigInput } from '@hyperzoo/schemas';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    epochs: { type: 'string', default: '30' },
    patience: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'wasm' },
  },
});

const early = { monitor: 'val_loss' as const, patience: Number(args.patience), restoreBestWeights: true };
const CASES: { name: string; reference: string; config: TRunConfigInput }[] = [
  { name: 'mlp', reference: '0.88-0.90 val accuracy (Adam, early stopping)', config: { architecture: 'mlp' } },
  { name: 'lenet5-sigmoid', reference: '~0.896 (relu conv, sigmoid dense)', config: { architecture: 'lenet5' } },
  { name: 'lenet5-relu', reference: '~0.91 (relu everywhere)', config: { architecture: 'lenet5', denseActivation: 'relu' } },
  { name: 'lenet5-sgd', reference: 'clearly worse than Adam', config: { architecture: 'lenet5', optimizer: { name: 'sgd', learningRate: 0.01 } } },
];
const wanted = args.only?.split(',');
for (const c of CASES.filter((x) => !wanted || wanted.includes(x.name))) {
  const config = ZRunConfig.parse({ ...c.config, epochs: Number(args.epochs), earlyStopping: early, checkpointEvery: 0 });
  const started = performance.now();
  const epochs: { epoch: number; val_accuracy: number | null; val_loss: number | null }[] = [];
  const r = await runTraining(config, { onEpochEnd: (m) => void epochs.push(m) }, { backend: args.backend as 'wasm' });
  const best = epochs.find((e) => e.epoch === r.bestEpoch);
  console.log(
    JSON.stringify({
      name: c.name,
      arch: config.architecture,
      status: r.status,
      testAccuracy: r.testAccuracy,
      bestValAccuracy: best?.val_accuracy ?? null,
      bestEpoch: r.bestEpoch,
      stoppedEpoch: r.stoppedEpoch,
      epochsRun: epochs.length,
      params: r.paramCount,
      backend: r.backend,
      minutes: Number(((performance.now() - started) / 60_000).toFixed(1)),
      reference: c.reference,
      error: r.error,
    }),
  );
}
