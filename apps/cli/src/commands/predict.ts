import { readFileSync } from 'node:fs';
import path, { extname } from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import { predictWithKnownBackbone } from '@hyperzoo/models';
import { KNOWN_BACKBONE_NAMES, ZPredictImage } from '@hyperzoo/schemas';
import type { TKnownBackboneName, TPrediction, TPredictImage } from '@hyperzoo/schemas';

import { createApiClient } from '../api';
import type { TApiFlags } from '../api';
import { loadCliEnv } from '../env';
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

const BACKBONE_NAMES: readonly string[] = KNOWN_BACKBONE_NAMES;

const parseBackbone = (value: string): TKnownBackboneName => {
  if (!BACKBONE_NAMES.includes(value)) throw new InvalidArgumentError(`expected one of ${BACKBONE_NAMES.join(', ')}, got "${value}"`);
  return value as TKnownBackboneName;
};

const parseSha256 = (value: string): string => {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError('expected 64 hex digits');
  return value;
};

const formatPredictions = (predictions: TPrediction[]) =>
  predictions.map((p, i) => `${i + 1}. ${p.className.padEnd(14)} ${(p.probability * 100).toFixed(2).padStart(6)}%  (class ${p.classIndex})`).join('\n');

type TPredictFlags = TApiFlags & { run?: string; backbone?: TKnownBackboneName; modelUrl?: string; sha256?: string; top: number; json?: boolean };

/**
 * The course's ResNet50 example on this machine: a known ImageNet backbone (libs/models), loaded
 * under the same rules as a worker's (HZ_MODEL_URL_ALLOWLIST, HZ_MODEL_MAX_BYTES, no redirects).
 */
async function predictWithBackbone(file: string, name: TKnownBackboneName, opts: TPredictFlags): Promise<void> {
  const env = loadCliEnv();
  const location = opts.modelUrl;
  const isLocal = location !== undefined && !/^https?:\/\//i.test(location);
  const localRoot = isLocal ? path.resolve(location.replace(/^file:\/\//, '')) : null;
  const out = await predictWithKnownBackbone(name, readFileSync(file), {
    location: localRoot ?? location,
    allowedRoots: localRoot ? [localRoot] : [],
    allowedUrls: env.HZ_MODEL_URL_ALLOWLIST,
    maxBytes: env.HZ_MODEL_MAX_BYTES,
    sha256: opts.sha256,
    topK: opts.top,
  });
  print(opts.json, out, () => `${formatPredictions(out.predictions)}\n${name} from ${out.location}, model.json sha256 ${out.modelJsonSha256} (pin it with --sha256)`);
}

export function registerPredictCommand(program: Command): void {
  withApiOptions(program.command('predict').description('top-K classes of an image with a run’s trained model (a worker of the team answers) or a pretrained ImageNet backbone'))
    .option('--run <id>', 'the run whose model predicts')
    .option('--backbone <name>', `a pretrained ImageNet backbone instead of a run, run here: ${BACKBONE_NAMES.join(', ')}`, parseBackbone)
    .option('--model-url <url-or-dir>', 'with --backbone: where its tfjs model.json is (default: its registered public URL)')
    .option('--sha256 <hex>', 'with --backbone: the SHA-256 its model.json must have', parseSha256)
    .argument('<image-file>', 'PNG or JPEG, or (with --run) .json with a 28x28 array of 0-255 values')
    .option('--top <k>', 'how many classes', parseTop, 5)
    .action(async (file: string, opts: TPredictFlags) => {
      if ((opts.run === undefined) === (opts.backbone === undefined)) throw new InvalidArgumentError('give exactly one of --run and --backbone');
      if (opts.backbone !== undefined) return predictWithBackbone(file, opts.backbone, opts);
      if (opts.modelUrl !== undefined || opts.sha256 !== undefined) throw new InvalidArgumentError('--model-url and --sha256 go with --backbone');
      const image = readPredictImage(file);
      const out = await createApiClient(opts).runs.predict.mutate({ runId: opts.run as string, image, topK: opts.top });
      print(opts.json, out, () => formatPredictions(out.predictions));
    });
}
