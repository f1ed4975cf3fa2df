import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

/** tfjs-core's NamedTensor (not re-exported by the tfjs umbrella). */
type NamedTensor = { name: string; tensor: tf.Tensor };
import { z } from 'zod';

import { ZEpochMetric } from '@hyperzoo/schemas';

import { ZEarlyStoppingState } from './early-stopping';
import { assignWeights, collectWeights } from './weights';

/**
 * A checkpoint directory:
 *   model.json + weights.bin     tfjs 'layers-model' format (tf.loadLayersModel reads it)
 *   optimizer.json + optimizer.bin  optimizer.getWeights() (iterations, moments)
 *   state.json                   epoch, phase, early-stopping state, RNG state, history
 * Weights are listed in layer order (collectWeights) so a freshly built model of the same
 * architecture can take them back by position, whatever its auto-generated layer names.
 */
const ZCheckpointState = z.object({
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

const CHECKPOINT_PREFIX = 'epoch-';

export function checkpointName(epoch: number): string {
  return `${CHECKPOINT_PREFIX}${String(epoch).padStart(4, '0')}`;
}

/** Byte size of one tensor in a tfjs weights file (no quantization here). */
function byteSize(spec: tf.io.WeightsManifestEntry): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const bytes = spec.dtype === 'bool' ? 1 : 4;
  return n * bytes;
}

async function encodeNamed(named: NamedTensor[]): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { data: new Uint8Array(data as ArrayBuffer), specs };
}

/** Decodes a weights file by position (names may repeat across nested models). */
function decodeByPosition(data: Uint8Array, specs: tf.io.WeightsManifestEntry[], where: string): NamedTensor[] {
  const out: NamedTensor[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = byteSize(spec);
    if (offset + size > data.byteLength) throw new Error(`${where}: file too short for weight ${spec.name}`);
    const slice = data.slice(offset, offset + size).buffer;
    const decoded = tf.io.decodeWeights(slice, [spec]);
    out.push({ name: spec.name, tensor: decoded[spec.name] as tf.Tensor });
    offset += size;
  }
  if (offset !== data.byteLength) throw new Error(`${where}: ${data.byteLength - offset} bytes left after the last weight`);
  return out;
}

export interface SaveCheckpointInput {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  state: TCheckpointState;
}

/** model.json + weights.bin for a model, weights in collectWeights order. */
async function writeModelFiles(dir: string, model: tf.LayersModel): Promise<void> {
  const weights = await encodeNamed(collectWeights(model).map((w) => ({ name: w.originalName, tensor: w.read() })));
  const modelJson = {
    modelTopology: model.toJSON(null, false),
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: weights.specs }],
  };
  await writeFile(join(dir, 'weights.bin'), weights.data);
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
}

async function writeOptimizerFiles(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const optimizerWeights = await optimizer.getWeights();
  let file: { data: Uint8Array; specs: tf.io.WeightsManifestEntry[] };
  try {
    file = await encodeNamed(optimizerWeights);
  } finally {
    // Element 0 is a fresh 'iter' scalar; the rest are the optimizer's own variables.
    optimizerWeights[0]?.tensor.dispose();
  }
  const json = { className: optimizer.getClassName(), config: optimizer.getConfig(), weightsManifest: [{ paths: ['optimizer.bin'], weights: file.specs }] };
  await writeFile(join(dir, 'optimizer.bin'), file.data);
  await writeFile(join(dir, 'optimizer.json'), JSON.stringify(json));
}

/**
 * Fills a temp dir next to `finalDir` and renames it into place, so a reader sees the old
 * directory or the new one, never half of one.
 */
async function writeDirAtomically(finalDir: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const root = dirname(finalDir);
  await mkdir(root, { recursive: true });
  const tmpDir = join(root, `.tmp-${basename(finalDir)}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir);
  try {
    await fill(tmpDir);
    if (existsSync(finalDir)) {
      // Rewriting (a resumed run, the final model): rename cannot replace a non-empty dir.
      const trash = `${tmpDir}.old`;
      await rename(finalDir, trash);
      await rename(tmpDir, finalDir);
      await rm(trash, { recursive: true, force: true });
    } else {
      await rename(tmpDir, finalDir);
    }
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/** Points `<root>/latest` at a checkpoint (a relative symlink, swapped atomically by rename). */
async function pointLatestAt(root: string, name: string): Promise<void> {
  const tmp = join(root, `.tmp-latest-${randomBytes(4).toString('hex')}`);
  await symlink(name, tmp, 'dir');
  await rename(tmp, join(root, LATEST));
}

const LATEST = 'latest';
export const FINAL_MODEL = 'final';

/**
 * Writes a checkpoint to `<root>/epoch-NNNN` atomically and points `<root>/latest` at it.
 * Returns the checkpoint directory.
 */
export async function saveCheckpoint(root: string, input: SaveCheckpointInput): Promise<string> {
  const { model, optimizer, state } = input;
  const finalDir = join(root, checkpointName(state.epoch));
  const parsedState = ZCheckpointState.parse(state);
  await writeDirAtomically(finalDir, async (dir) => {
    await writeModelFiles(dir, model);
    await writeOptimizerFiles(dir, optimizer);
    await writeFile(join(dir, 'state.json'), JSON.stringify(parsedState, null, 2));
  });
  await pointLatestAt(root, checkpointName(state.epoch));
  return finalDir;
}

/** Writes the trained model (tfjs format, no training state) to `<root>/final`: what transfer runs load. */
export async function saveFinalModel(root: string, model: tf.LayersModel): Promise<string> {
  const dir = join(root, FINAL_MODEL);
  await writeDirAtomically(dir, (tmp) => writeModelFiles(tmp, model));
  return dir;
}

export async function readCheckpointState(dir: string): Promise<TCheckpointState> {
  const file = join(dir, 'state.json');
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

const ZManifestFile = z.object({
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.any()) })).length(1),
});

async function readWeightsFile(dir: string, jsonName: string): Promise<NamedTensor[]> {
  const jsonPath = join(dir, jsonName);
  const manifest = ZManifestFile.parse(JSON.parse(await readFile(jsonPath, 'utf8')));
  const group = manifest.weightsManifest[0];
  if (!group || group.paths.length !== 1) throw new Error(`${jsonPath}: expected one weights file`);
  const data = new Uint8Array(await readFile(join(dir, group.paths[0] as string)));
  return decodeByPosition(data, group.weights as tf.io.WeightsManifestEntry[], jsonPath);
}

/** Reads a checkpoint's model weights as tensors in collectWeights order (caller owns them). */
export async function readCheckpointWeights(dir: string): Promise<tf.Tensor[]> {
  return (await readWeightsFile(dir, 'model.json')).map((n) => n.tensor);
}

/** Puts a checkpoint's weights into a model of the same architecture. */
export async function loadCheckpointWeights(model: tf.LayersModel, dir: string): Promise<void> {
  const values = await readCheckpointWeights(dir);
  try {
    assignWeights(model, values, join(dir, 'model.json'));
  } finally {
    tf.dispose(values);
  }
}

/** Restores optimizer state saved by saveCheckpoint into a fresh optimizer of the same kind. */
export async function loadOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<void> {
  const jsonPath = join(dir, 'optimizer.json');
  const meta = z.object({ className: z.string() }).parse(JSON.parse(await readFile(jsonPath, 'utf8')));
  if (meta.className !== optimizer.getClassName()) {
    throw new Error(`${jsonPath}: saved by ${meta.className}, cannot restore into ${optimizer.getClassName()}`);
  }
  const named = await readWeightsFile(dir, 'optimizer.json');
  try {
    await optimizer.setWeights(named);
  } finally {
    // setWeights copies into new variables.
    tf.dispose(named.map((n) => n.tensor));
  }
}

/** The checkpoint directories under root, oldest first. */
async function listCheckpoints(root: string): Promise<{ epoch: number; dir: string }[]> {
  if (!existsSync(root)) return [];
  const names = await readdir(root);
  return names
    .filter((n) => /^epoch-\d+$/.test(n) && existsSync(join(root, n, 'state.json')))
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
  if (existsSync(join(path, 'state.json'))) return path;
  const latest = await findLatestCheckpoint(path);
  if (!latest) throw new Error(`${path}: no checkpoint here (no state.json, no epoch-NNNN directories)`);
  return latest;
}

/** The directory of epoch `epoch` next to checkpoint `dir`. */
export function siblingCheckpoint(dir: string, epoch: number): string {
  return join(dirname(dir), checkpointName(epoch));
}

/**
 * Keeps only the checkpoints of `keepEpochs` (the one just written and the best one); also
 * removes checkpoints newer than those left by an earlier attempt of a resumed run, and
 * stale temp dirs of interrupted writes.
 */
export async function pruneCheckpoints(root: string, keepEpochs: (number | null)[]): Promise<void> {
  const keep = new Set(keepEpochs.filter((e): e is number => e !== null));
  for (const c of await listCheckpoints(root)) {
    if (!keep.has(c.epoch)) await rm(c.dir, { recursive: true, force: true });
  }
  for (const name of await readdir(root)) {
    if (name.startsWith('.tmp-')) await rm(join(root, name), { recursive: true, force: true });
  }
}
