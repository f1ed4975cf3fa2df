import * as tf from '@tensorflow/tfjs';

import type { TBackendInfo, TBackendName, TBackendPreference } from './backend-preference';
import { ZBackendPreference } from './backend-preference';
import { describeCpu, findNvidiaGpus } from './describe-device';
import { explainLoadError } from './explain-load-error';
import { installFusedOptimizerUpdates } from './fused-optimizers/install';
import { registerOnednnConvKernels } from './native/onednn-kernels';
import { registerWasmTrainingKernels } from './wasm/register-training-kernels';

const AUTO_ORDER: TBackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
/** The name each choice registers with the tfjs engine (both tfjs-node packages use 'tensorflow'). */
const ENGINE_NAMES: Record<TBackendName, string> = { 'tensorflow-gpu': 'tensorflow', tensorflow: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
const NODE_PACKAGES = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' } as const;

type TAttempt = { ok: true; info: Omit<TBackendInfo, 'fallbackReasons'> } | { ok: false; reason: string };

const selections = new Map<TBackendPreference, Promise<TBackendInfo>>();
const attempts = new Map<TBackendName, Promise<TAttempt>>();
let loadedNodePackage: keyof typeof NODE_PACKAGES | null = null;

/**
 * Selects and initialises the tfjs backend. 'auto' tries tfjs-node-gpu, tfjs-node, wasm (with our
 * training kernels), then cpu, and says why each earlier one was skipped; an explicit choice that
 * cannot load throws. Also installs the fused optimizer updates (wasm and cpu; see
 * fused-optimizers/install.ts). Safe to call repeatedly: loading happens once, later calls
 * re-activate the backend.
 */
export async function initBackend(preference: TBackendPreference = 'auto'): Promise<TBackendInfo> {
  const parsed = ZBackendPreference.safeParse(preference);
  if (!parsed.success) {
    throw new Error(`initBackend: unknown backend '${String(preference)}' (expected one of ${ZBackendPreference.options.join(', ')})`);
  }
  let selection = selections.get(parsed.data);
  if (selection == null) {
    selection = select(parsed.data);
    selections.set(parsed.data, selection);
    selection.catch(() => selections.delete(parsed.data));
  }
  const info = await selection;
  installFusedOptimizerUpdates();
  // Another call may have switched the engine to a different backend since.
  const engineName = ENGINE_NAMES[info.backend];
  if (tf.getBackend() !== engineName && !(await tf.setBackend(engineName))) {
    throw new Error(`initBackend: could not re-activate backend '${engineName}'`);
  }
  return { ...info, fallbackReasons: [...info.fallbackReasons] };
}

async function select(preference: TBackendPreference): Promise<TBackendInfo> {
  if (preference !== 'auto') {
    const attempt = await tryBackend(preference);
    if (!attempt.ok) throw new Error(`initBackend('${preference}') failed: ${attempt.reason}`);
    return { ...attempt.info, fallbackReasons: [] };
  }
  const fallbackReasons: string[] = [];
  for (const name of AUTO_ORDER) {
    const attempt = await tryBackend(name);
    if (attempt.ok) return { ...attempt.info, fallbackReasons };
    fallbackReasons.push(attempt.reason);
  }
  throw new Error(`initBackend('auto'): no backend could be initialised: ${fallbackReasons.join('; ')}`);
}

function tryBackend(name: TBackendName): Promise<TAttempt> {
  let attempt = attempts.get(name);
  if (attempt == null) {
    attempt = loadBackend(name);
    attempts.set(name, attempt);
  }
  return attempt;
}

async function loadBackend(name: TBackendName): Promise<TAttempt> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return loadTensorflow(name);
    case 'wasm':
      return loadWasm();
    case 'cpu': {
      const failure = await activate('cpu');
      return failure == null ? { ok: true, info: { backend: 'cpu', device: describeCpu() } } : { ok: false, reason: `cpu: ${failure}` };
    }
  }
}

async function loadTensorflow(name: keyof typeof NODE_PACKAGES): Promise<TAttempt> {
  const pkg = NODE_PACKAGES[name];
  if (loadedNodePackage != null && loadedNodePackage !== name) {
    return { ok: false, reason: `${pkg}: not loaded because ${NODE_PACKAGES[loadedNodePackage]} already registered the 'tensorflow' backend in this process` };
  }
  try {
    await import(/* @vite-ignore */ pkg);
  } catch (error) {
    return { ok: false, reason: explainLoadError(pkg, error) };
  }
  loadedNodePackage = name;
  const failure = await activate('tensorflow');
  if (failure != null) return { ok: false, reason: `${pkg}: loaded, but the 'tensorflow' backend did not initialise (${failure})` };
  if (name === 'tensorflow') return { ok: true, info: { backend: 'tensorflow', device: describeCpu() } };
  const gpus = await findNvidiaGpus();
  if (gpus.length === 0) {
    return { ok: false, reason: `${pkg}: loaded, but nvidia-smi lists no CUDA GPU, so TensorFlow would run on the CPU` };
  }
  const device = gpus.length === 1 ? (gpus[0] as string) : `${gpus[0]} (+${gpus.length - 1} more)`;
  return { ok: true, info: { backend: 'tensorflow-gpu', device } };
}

async function loadWasm(): Promise<TAttempt> {
  const pkg = '@tensorflow/tfjs-backend-wasm';
  let threads: () => number;
  try {
    threads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount;
  } catch (error) {
    return { ok: false, reason: `${pkg}: failed to load (${error instanceof Error ? error.message : String(error)})` };
  }
  const failure = await activate('wasm');
  if (failure != null) return { ok: false, reason: `wasm: ${failure}` };
  registerWasmTrainingKernels();
  const onednn = registerOnednnConvKernels();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const convolutions = onednn.active ? ', oneDNN convolutions' : '';
  return { ok: true, info: { backend: 'wasm', device: `${describeCpu()} (wasm${simd ? ' SIMD' : ''}, ${threads()} thread${threads() === 1 ? '' : 's'}${convolutions})` } };
}

/**
 * tf.setBackend resolves false on failure and only logs the cause through console.warn, so
 * capture what it logs to report the exact reason. Returns null on success.
 */
async function activate(engineName: string): Promise<string | null> {
  const logged: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void logged.push(args);
  let ok = false;
  try {
    ok = await tf.setBackend(engineName);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    console.warn = warn;
  }
  if (ok) {
    for (const args of logged) warn(...args);
    return null;
  }
  const detail = logged.map((args) => args.map(String).join(' ')).join(' | ');
  return `initialisation failed${detail ? `: ${detail}` : ''}`;
}
