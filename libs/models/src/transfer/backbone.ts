import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

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
}

const DEFAULT_MAX_BACKBONE_BYTES = 1024 ** 3;

/**
 * fetch for tfjs' HTTP handler: no redirects (the host stays the allowed one), and the bodies of
 * one model together stop at `maxBytes`, whatever Content-Length says, before they fill memory.
 */
function limitedFetch(maxBytes: number): typeof fetch {
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
    return new Response(Buffer.concat(chunks), { status: res.status, statusText: res.statusText, headers: res.headers });
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
  if (/^https?:\/\//i.test(source)) {
    if (!URL.canParse(source)) throw new Error(`backbone URL ${source} is not a valid URL`);
    if (!isAllowedUrl(new URL(source), options.allowedUrls ?? [])) {
      throw new Error(`backbone URL ${source} is not under a URL the operator allows (HZ_MODEL_URL_ALLOWLIST)`);
    }
    return tf.loadLayersModel(source, { requestInit: { redirect: 'error' }, fetchFunc: limitedFetch(options.maxBytes ?? DEFAULT_MAX_BACKBONE_BYTES) });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('file://')) {
    throw new Error(`backbone source ${source}: only directories, file:// and http(s):// URLs are supported`);
  }
  const real = await resolveInsideRoots(source, options.allowedRoots);
  const isDir = (await stat(real)).isDirectory();
  const dir = isDir ? real : path.dirname(real);
  const file = isDir ? MODEL_JSON : path.basename(real);
  try {
    return await tf.loadLayersModel(fileSystemIO(dir, file));
  } catch (err) {
    const realRoots = await Promise.all(options.allowedRoots.map((r) => realpath(r).catch(() => r)));
    throw new Error(`cannot load backbone from ${source}: ${hideRoots((err as Error).message, [...options.allowedRoots, ...realRoots])}`);
  }
}

export interface TKnownBackbone {
  /** What the weights are, to tell a user how to produce the tfjs files. */
  description: string;
  inputShape: readonly [number, number, number];
  preprocessing: TBackbonePreprocessing;
  /** The last feature map (Keras layer name) when the converted model still has its top. */
  featureLayer: string;
  classes: number;
}

/**
 * Pretrained ImageNet backbones from keras.applications, converted with
 * `tensorflowjs_converter --input_format keras`. Nothing is downloaded here: pass the directory
 * or URL where the converted model lives.
 */
export const KNOWN_BACKBONES = {
  resnet50: {
    description: 'keras.applications.ResNet50 (ImageNet), converted to a tfjs layers model',
    inputShape: [224, 224, 3],
    preprocessing: 'caffe',
    featureLayer: 'conv5_block3_out',
    classes: 1000,
  },
  xception: {
    description: 'keras.applications.Xception (ImageNet), converted to a tfjs layers model',
    inputShape: [299, 299, 3],
    preprocessing: 'tf',
    featureLayer: 'block14_sepconv2_act',
    classes: 1000,
  },
  mobilenet: {
    description: 'keras.applications.MobileNet alpha 1.0 (ImageNet), converted to a tfjs layers model',
    inputShape: [224, 224, 3],
    preprocessing: 'tf',
    featureLayer: 'conv_pw_13_relu',
    classes: 1000,
  },
} as const satisfies Record<string, TKnownBackbone>;
export type TKnownBackboneName = keyof typeof KNOWN_BACKBONES;

/** Loads a known pretrained backbone and checks that its input matches the registry entry. */
export async function loadKnownBackbone(
  name: TKnownBackboneName,
  location: string,
  options: TLoadBackboneOptions,
): Promise<{ model: tf.LayersModel; info: TKnownBackbone }> {
  const info: TKnownBackbone = KNOWN_BACKBONES[name];
  const model = await loadBackbone(location, options);
  const shape = model.inputs[0]?.shape ?? [];
  const mismatch = shape.length !== 4 || shape.slice(1).some((d, i) => d !== null && d !== info.inputShape[i]);
  if (mismatch) {
    model.dispose();
    throw new Error(`${name} from ${location}: input shape [${shape.map((d) => d ?? 'null').join(', ')}] does not match the expected [null, ${info.inputShape.join(', ')}]`);
  }
  return { model, info };
}
