import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

import { resolveWeightsPath } from './paths';

export const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** The parts of a tfjs model.json we rely on; the rest passes through untouched. */
const ZModelJson = z.looseObject({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.looseObject({ paths: z.array(z.string()), weights: z.array(z.looseObject({ name: z.string() })) })),
  format: z.string().optional(),
});

/**
 * A tfjs IOHandler for a directory holding model.json + binary weight shards (the tfjs
 * layers-model format that tfjs-node's file:// handler and tensorflowjs_converter write).
 * The pure-JS tfjs package has no file:// handler in Node, hence this one. The directory must
 * already be validated (see resolveInsideRoots); weight paths inside model.json are checked here.
 */
export function fileSystemIO(dir: string, modelFile = MODEL_JSON): tf.io.IOHandler {
  const modelPath = path.join(dir, modelFile);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('fileSystemIO saves layers models only, not graph models');
      await mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFile(modelPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      let text: string;
      try {
        text = await readFile(modelPath, 'utf8');
      } catch {
        throw new Error(`no ${modelFile} in ${dir}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new Error(`${modelPath} is not valid JSON: ${(err as Error).message}`);
      }
      const parsed = ZModelJson.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${modelPath} is not a tfjs layers model: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      }
      const modelJson = parsed.data as unknown as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const bytes = await readFile(resolveWeightsPath(dir, p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** Saves a layers model as model.json + weights.bin in dir (created if missing). */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystemIO(dir));
}
