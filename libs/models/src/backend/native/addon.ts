// The oneDNN addon (../../../native/onednn.cc: convolutions, pooling, batch norm, the fused relu's
// gradient): compiled on first use with the
// machine's g++ against Debian's libdnnl-dev (nothing is downloaded), cached by the source's hash.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Geometry: batch, in h/w/c, out h/w/c, kernel h/w, stride h/w, dilation h/w, pad top/left/bottom/right. */
export type TConvGeometry = number[];

export interface TOnednn {
  forward(heap: ArrayBuffer, geo: TConvGeometry, x: number, w: number, bias: number, relu: number, y: number): void;
  backwardData(heap: ArrayBuffer, geo: TConvGeometry, dy: number, w: number, dx: number): void;
  backwardWeights(heap: ArrayBuffer, geo: TConvGeometry, x: number, dy: number, dw: number): void;
  /** Geometry as a convolution's, out channels = in channels. */
  avgPool(heap: ArrayBuffer, geo: TConvGeometry, x: number, y: number): void;
  avgPoolGrad(heap: ArrayBuffer, geo: TConvGeometry, dy: number, dx: number): void;
  reluGrad(heap: ArrayBuffer, count: number, dy: number, y: number, dz: number): void;
  maxPoolGrad(heap: ArrayBuffer, geo: TConvGeometry, x: number, dy: number, dx: number): void;
  /** Shape [n, h, w, c] (NHWC; statistics over n, h and w). */
  batchNormForward(heap: ArrayBuffer, shape: number[], epsilon: number, x: number, scale: number, shift: number, y: number, mean: number, variance: number): void;
  batchNormBackward(
    heap: ArrayBuffer, shape: number[], epsilon: number, x: number, mean: number, variance: number, dy: number, scale: number, shift: number, dx: number, dscale: number, dshift: number,
  ): void;
  implementation(geo: TConvGeometry): string;
  setThreads(n: number): void;
}

// Found through the package, not this file's URL: the worker's bundle moves this code elsewhere.
const require = createRequire(import.meta.url);
const NATIVE_DIR = path.join(path.dirname(require.resolve('@hyperzoo/models/package.json')), 'native');
const SOURCE = path.join(NATIVE_DIR, 'onednn.cc');
const BUILD_DIR = path.join(NATIVE_DIR, 'build');
const ONEDNN_HEADER = '/usr/include/oneapi/dnnl/dnnl.hpp';

let loaded: { addon: TOnednn } | { reason: string } | undefined;

/** The addon, or why there is none here (no oneDNN headers, no compiler, a failed build). */
export function loadOnednn(): { addon: TOnednn } | { reason: string } {
  loaded ??= load();
  return loaded;
}

function load(): { addon: TOnednn } | { reason: string } {
  if (!existsSync(SOURCE)) return { reason: `${SOURCE} is missing` };
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(process.version).digest('hex').slice(0, 16);
  const file = path.join(BUILD_DIR, `onednn-${hash}.node`);
  if (!existsSync(file)) {
    // Not built yet: needs the headers (a runtime image ships the built file and libdnnl2 only).
    if (!existsSync(ONEDNN_HEADER)) return { reason: `oneDNN is not installed (${ONEDNN_HEADER} missing: apt-get install libdnnl-dev)` };
    const nodeInclude = path.resolve(process.execPath, '../../include/node');
    if (!existsSync(path.join(nodeInclude, 'node_api.h'))) return { reason: `no Node.js headers at ${nodeInclude}` };
    // Built aside and renamed: trainers starting together may each build it, none sees half a file.
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(BUILD_DIR, { recursive: true });
      execFileSync('g++', ['-std=c++17', '-O2', '-shared', '-fPIC', '-fopenmp', `-I${nodeInclude}`, SOURCE, '-ldnnl', '-o', tmp], { stdio: 'pipe' });
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(0, 3).join(' ');
      return { reason: `could not build ${path.basename(SOURCE)}: ${stderr || (err as Error).message}` };
    }
  }
  try {
    const addon = require(file) as TOnednn;
    // One thread, as the wasm backend: a CPU worker runs one trainer per core.
    addon.setThreads(1);
    return { addon };
  } catch (err) {
    return { reason: `could not load ${file}: ${(err as Error).message}` };
  }
}
