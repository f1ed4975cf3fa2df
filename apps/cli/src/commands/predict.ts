import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import { ZPredictImage } from '@hyperzoo/schemas';
import type { TPredictImage } from '@hyperzoo/schemas';

import { createApiClient } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

const parseTop = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError(`expected 1 to 100, got "${value}"`);
  return n;
};

/** A PNG/JPEG file as its bytes, or a .json file holding a 28 x 28 array of 0-255 grey values. */
function readPredictImage(file: string): TPredictImage {
  const bytes = readFileSync(file);
  const image: unknown =
    extname(file).toLowerCase() === '.json' ? { kind: 'pixels', pixels: JSON.parse(bytes.toString('utf8')) as unknown } : { kind: 'encoded', base64: bytes.toString('base64') };
  const parsed = ZPredictImage.safeParse(image);
  if (!parsed.success) throw new InvalidArgumentError(`${file}: not a PNG, a JPEG or a 28x28 JSON array of 0-255 values (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

export function registerPredictCommand(program: Command): void {
  withApiOptions(program.command('predict').description('top-K classes of an image with a run’s trained model (a worker of the team answers)'))
    .requiredOption('--run <id>', 'the run whose model predicts')
    .argument('<image-file>', 'PNG or JPEG, or .json with a 28x28 array of 0-255 values')
    .option('--top <k>', 'how many classes', parseTop, 5)
    .action(async (file: string, opts: TApiFlags & { run: string; top: number; json?: boolean }) => {
      const image = readPredictImage(file);
      const out = await createApiClient(opts).runs.predict.mutate({ runId: opts.run, image, topK: opts.top });
      print(opts.json, out, () =>
        out.predictions.map((p, i) => `${i + 1}. ${p.className.padEnd(14)} ${(p.probability * 100).toFixed(2).padStart(6)}%  (class ${p.classIndex})`).join('\n'),
      );
    });
}
