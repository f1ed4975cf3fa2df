import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { KNOWN_BACKBONE_URLS, type TKnownBackboneName } from '@hyperzoo/schemas';

import '../zoo/resizing-layer';
import { MODEL_JSON, fileSystemIO } from './file-io';
import { resolveInsideRoots } from './paths';
import './preprocess-layer';
import type { TBackbonePreprocessing } from './preprocess-layer';

export interface TLoadBackboneOptions {
  /** Directories a file source must resolve inside (e.g. the checkpoint root, a models folder). */
  allowedRoots: readonly string[];
  /**
   * URL prefixes an operator allows http(s) sources under (e.g. `https://models.example.com/zoo/`);
   * none given: no http(s) source at all. Redirects are refused, so the host stays the listed one.
   */
  allowedUrls?: readonly string[];
  /** Most bytes an http(s) source may send, model.json and weight shards together (default 1 GiB). */
  maxBytes?: number;
  /** Expected SHA-256 (hex) of model.json: a different file is refused before any weights load. */
  sha256?: string;
}

/** A loaded backbone and the SHA-256 of the model.json it came from (to pin it with `sha256`). */
export interface TLoadedBackbone {
  model: tf.LayersModel;
  modelJsonSha256: string;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function checkDigest(source: string, actual: string, expected: string | undefined): void {
  if (expected !== undefined && actual !== expected.toLowerCase()) {
    throw new Error(`backbone ${source}: model.json has SHA-256 ${actual}, expected ${expected.toLowerCase()}`);
  }
}

const DEFAULT_MAX_BACKBONE_BYTES = 1024 ** 3;

/**
 * fetch for tfjs' HTTP handler: no redirects (the host stays the allowed one), and the bodies of
 * one model together stop at `maxBytes`, whatever Content-Length says, before they fill memory.
 */
function limitedFetch(maxBytes: number, modelJson: { urls: string[]; expected?: string; seen?: string }): typeof fetch {
  let received = 0;
  const tooLarge = (url: string) => new Error(`backbone at ${url} is larger than the ${maxBytes}-byte limit (HZ_MODEL_MAX_BYTES)`);
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const res = await fetch(input, { ...init, redirect: 'error' });
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes - received) {
      await res.body?.cancel();
      throw tooLarge(url);
    }
    if (!res.body) return res;
    const chunks: Uint8Array[] = [];
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      received += r.value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw tooLarge(url);
      }
      chunks.push(r.value);
    }
    const body = Buffer.concat(chunks);
    if (modelJson.urls.includes(url) && res.ok) {
      modelJson.seen = sha256Hex(body);
      checkDigest(url, modelJson.seen, modelJson.expected);
    }
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Error text of a file source without the worker's own directories in it. */
function hideRoots(message: string, roots: readonly string[]): string {
  return [...roots].sort((a, b) => b.length - a.length).reduce((m, root) => m.replaceAll(path.resolve(root), '<models>'), message);
}

/** Whether `url` lies under one of the prefixes: same origin, and a path below the prefix's. */
function isAllowedUrl(url: URL, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => {
    const prefix = URL.canParse(p) ? new URL(p) : null;
    return prefix !== null && prefix.origin === url.origin && url.pathname.startsWith(prefix.pathname) && !url.pathname.split('/').includes('..');
  });
}

/**
 * Loads a tfjs LayersModel to build on: a finished run's checkpoint directory or any directory
 * holding model.json + weights (plain path or file:// URL, kept inside allowedRoots), or an
 * http(s) URL of a model.json (fetched by tfjs' own HTTP handler).
 */
export async function loadBackbone(source: string, options: TLoadBackboneOptions): Promise<tf.LayersModel> {
  return (await loadBackboneWithDigest(source, options)).model;
}

/** loadBackbone, also giving the SHA-256 of the model.json read (checked against `options.sha256` first). */
async function loadBackboneWithDigest(source: string, options: TLoadBackboneOptions): Promise<TLoadedBackbone> {
  if (/^https?:\/\//i.test(source)) {
    if (!URL.canParse(source)) throw new Error(`backbone URL ${source} is not a valid URL`);
    if (!isAllowedUrl(new URL(source), options.allowedUrls ?? [])) {
      throw new Error(`backbone URL ${source} is not under a URL the operator allows (HZ_MODEL_URL_ALLOWLIST)`);
    }
    const modelJson: { urls: string[]; expected?: string; seen?: string } = { urls: [source, new URL(source).href], expected: options.sha256 };
    const fetchFunc = limitedFetch(options.maxBytes ?? DEFAULT_MAX_BACKBONE_BYTES, modelJson);
    const model = await tf.loadLayersModel(source, { requestInit: { redirect: 'error' }, fetchFunc });
    if (modelJson.seen === undefined) {
      model.dispose();
      throw new Error(`backbone ${source}: model.json was not read from this URL`);
    }
    return { model, modelJsonSha256: modelJson.seen };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('file://')) {
    throw new Error(`backbone source ${source}: only directories, file:// and http(s):// URLs are supported`);
  }
  const real = await resolveInsideRoots(source, options.allowedRoots);
  const isDir = (await stat(real)).isDirectory();
  const dir = isDir ? real : path.dirname(real);
  const file = isDir ? MODEL_JSON : path.basename(real);
  let digest: string | undefined;
  try {
    digest = sha256Hex(await readFile(path.join(dir, file)));
  } catch {
    // tfjs' own message below says what is missing.
  }
  if (digest !== undefined) checkDigest(source, digest, options.sha256);
  try {
    const model = await tf.loadLayersModel(fileSystemIO(dir, file));
    return { model, modelJsonSha256: digest ?? '' };
  } catch (err) {
    const realRoots = await Promise.all(options.allowedRoots.map((r) => realpath(r).catch(() => r)));
    throw new Error(`cannot load backbone from ${source}: ${hideRoots((err as Error).message, [...options.allowedRoots, ...realRoots])}`);
  }
}

export interface TKnownBackbone {
  /** What the weights are, to tell a user how to produce the tfjs files. */
  description: string;
  /**
   * A public TensorFlow.js layers-model conversion (model.json), loaded when no location is
   * given; null where none is published and the operator converts the Keras model himself.
   */
  url: string | null;
  /** SHA-256 of that model.json where its publisher gives one; null: pinned by the operator (docs/RESULTS.md). */
  modelJsonSha256: string | null;
  inputShape: readonly [number, number, number];
  preprocessing: TBackbonePreprocessing;
  /** The last feature map (Keras layer name) when the converted model still has its top. */
  featureLayer: string;
  /** Outputs of the model's own top: the 1000 ImageNet classes (getImagenetClassNames). */
  classes: number;
}

/**
 * Pretrained ImageNet backbones from keras.applications. ResNet50 and Xception have no public
 * tfjs layers conversion: convert them with `tensorflowjs_converter --input_format keras` and
 * pass the directory or URL. MobileNet v1 (alpha 1.0, 224) is the one tfjs-examples load from
 * Google's storage bucket; its publisher gives no checksum.
 */
export const KNOWN_BACKBONES = {
  resnet50: {
    description: 'keras.applications.ResNet50 (ImageNet), converted to a tfjs layers model',
    url: null,
    modelJsonSha256: null,
    inputShape: [224, 224, 3],
    preprocessing: 'caffe',
    featureLayer: 'conv5_block3_out',
    classes: 1000,
  },
  xception: {
    description: 'keras.applications.Xception (ImageNet), converted to a tfjs layers model',
    url: null,
    modelJsonSha256: null,
    inputShape: [299, 299, 3],
    preprocessing: 'tf',
    featureLayer: 'block14_sepconv2_act',
    classes: 1000,
  },
  mobilenet: {
    description: 'keras.applications.MobileNet alpha 1.0 (ImageNet), converted to a tfjs layers model',
    url: KNOWN_BACKBONE_URLS.mobilenet,
    modelJsonSha256: null,
    inputShape: [224, 224, 3],
    preprocessing: 'tf',
    featureLayer: 'conv_pw_13_relu',
    classes: 1000,
  },
} as const satisfies Record<TKnownBackboneName, TKnownBackbone>;

/**
 * Loads a known pretrained backbone from `location` (default: its registered public URL, which
 * still has to be under HZ_MODEL_URL_ALLOWLIST) and checks its input and output against the
 * registry entry, and model.json against `options.sha256` (default: the published digest).
 */
export async function loadKnownBackbone(
  name: TKnownBackboneName,
  location: string | undefined,
  options: TLoadBackboneOptions,
): Promise<TLoadedBackbone & { info: TKnownBackbone }> {
  const info: TKnownBackbone = KNOWN_BACKBONES[name];
  const from = location ?? info.url;
  if (from === null) {
    throw new Error(`${name}: no public TensorFlow.js conversion is registered; convert it with tensorflowjs_converter and give its directory or URL`);
  }
  const sha256 = options.sha256 ?? (from === info.url ? (info.modelJsonSha256 ?? undefined) : undefined);
  const { model, modelJsonSha256 } = await loadBackboneWithDigest(from, { ...options, sha256 });
  const shape = model.inputs[0]?.shape ?? [];
  const mismatch = shape.length !== 4 || shape.slice(1).some((d, i) => d !== null && d !== info.inputShape[i]);
  if (mismatch) {
    model.dispose();
    throw new Error(`${name} from ${from}: input shape [${shape.map((d) => d ?? 'null').join(', ')}] does not match the expected [null, ${info.inputShape.join(', ')}]`);
  }
  const outputs = model.outputs[0]?.shape[1];
  if (outputs !== info.classes) {
    model.dispose();
    throw new Error(`${name} from ${from}: ${outputs ?? 'no'} outputs, expected the ${info.classes} ImageNet classes`);
  }
  return { model, modelJsonSha256, info };
}
