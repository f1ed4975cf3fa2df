import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

/** tfjs-core's NamedTensor (not re-exported by the tfjs umbrella). */
type NamedTensor = { name: string; tensor: tf.Tensor };
import { z } from 'zod';

import { checkpointName, FINAL_MODEL, listCheckpoints, pointLatestAt, ZCheckpointState, type TCheckpointState } from './checkpoint-layout';
import { assignWeights, collectWeights } from './weights';

// The layout (names, state.json) lives in a tfjs-free module; this one reads and writes tensors.
export * from './checkpoint-layout';

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
