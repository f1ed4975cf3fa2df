// The checkpoint format on disk, without tfjs: the worker reads a checkpoint's history through
// the @hyperzoo/models/checkpoint-layout subpath and never loads tfjs itself.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { z } from 'zod';

import { ZEpochMetric } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

import { ZEarlyStoppingState } from './early-stopping';

/**
 * A run's checkpoint root holds `epoch-NNNN` directories, `latest` (a relative symlink to the
 * newest) and `final` (the trained model). A checkpoint directory:
 *   model.json + weights.bin     tfjs 'layers-model' format (tf.loadLayersModel reads it)
 *   optimizer.json + optimizer.bin  optimizer.getWeights() (iterations, moments)
 *   state.json                   epoch, phase, early-stopping state, RNG state, history
 * Weights are listed in layer order (collectWeights) so a freshly built model of the same
 * architecture can take them back by position, whatever its auto-generated layer names.
 */
export const ZCheckpointState = z.object({
  version: z.literal(1),
  /** Last completed epoch (1-based, run numbering). */
  epoch: z.number().int().min(1),
  phase: z.enum(['train', 'finetune']),
  /** First epoch of this phase (fine-tuning continues the numbering of phase 1). */
  phaseStart: z.number().int().min(1),
  /** The phase stopped early at this epoch: do not train it further on resume. */
  phaseDone: z.boolean(),
  earlyStopping: ZEarlyStoppingState,
  /** Seeded Math.random state used for dropout inside training steps. */
  rngState: z.number().int().min(0),
  learningRate: z.number(),
  history: z.array(ZEpochMetric),
  isBest: z.boolean(),
  /** Epoch at which early stopping ended phase 1, kept while fine-tuning. */
  earlierStoppedEpoch: z.number().int().min(1).nullable(),
});
export type TCheckpointState = z.infer<typeof ZCheckpointState>;

export const LATEST = 'latest';
export const FINAL_MODEL = 'final';
const CHECKPOINT_STATE_FILE = 'state.json';
const CHECKPOINT_PREFIX = 'epoch-';

export function checkpointName(epoch: number): string {
  return `${CHECKPOINT_PREFIX}${String(epoch).padStart(4, '0')}`;
}

export async function readCheckpointState(dir: string): Promise<TCheckpointState> {
  const file = join(dir, CHECKPOINT_STATE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read checkpoint state (${(err as Error).message})`);
  }
  const parsed = ZCheckpointState.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: invalid checkpoint state at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The epochs a checkpoint recorded, 1..its epoch; [] when `dir` holds no checkpoint (yet). */
export async function readCheckpointHistory(dir: string): Promise<TEpochMetric[]> {
  if (!existsSync(join(dir, CHECKPOINT_STATE_FILE))) return [];
  return (await readCheckpointState(dir)).history;
}

/** The checkpoint directories under root, oldest first. */
export async function listCheckpoints(root: string): Promise<{ epoch: number; dir: string }[]> {
  if (!existsSync(root)) return [];
  const names = await readdir(root);
  return names
    .filter((n) => /^epoch-\d+$/.test(n) && existsSync(join(root, n, CHECKPOINT_STATE_FILE)))
    .map((n) => ({ epoch: Number(n.slice(CHECKPOINT_PREFIX.length)), dir: join(root, n) }))
    .sort((a, b) => a.epoch - b.epoch);
}

/** The newest complete checkpoint under root, or null. */
async function findLatestCheckpoint(root: string): Promise<string | null> {
  const all = await listCheckpoints(root);
  return all.at(-1)?.dir ?? null;
}

/** Accepts a checkpoint directory (or the `latest` link) or a root holding epoch-NNNN directories. */
export async function resolveCheckpointDir(path: string): Promise<string> {
  if (existsSync(join(path, CHECKPOINT_STATE_FILE))) return path;
  const latest = await findLatestCheckpoint(path);
  if (!latest) throw new Error(`${path}: no checkpoint here (no state.json, no epoch-NNNN directories)`);
  return latest;
}

/** The directory of epoch `epoch` next to checkpoint `dir`. */
export function siblingCheckpoint(dir: string, epoch: number): string {
  return join(dirname(dir), checkpointName(epoch));
}

/** Points `<root>/latest` at a checkpoint (a relative symlink, swapped atomically by rename). */
export async function pointLatestAt(root: string, name: string): Promise<void> {
  const tmp = join(root, `.tmp-latest-${randomBytes(4).toString('hex')}`);
  await symlink(name, tmp, 'dir');
  await rename(tmp, join(root, LATEST));
}
