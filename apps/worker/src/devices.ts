import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

// The subpath keeps tfjs out of the worker's own process.
import { listNvidiaGpus } from '@hyperzoo/models/devices';
import type { TDevice } from '@hyperzoo/schemas';


/** GPUs as nvidia-smi lists them (index order = CUDA_VISIBLE_DEVICES order); none when it is absent. */
export async function findGpus(): Promise<TDevice[]> {
  return (await listNvidiaGpus()).map((gpu) => ({ kind: 'gpu' as const, name: gpu.name, memoryMb: gpu.memoryMb, cores: null }));
}

export function describeCpu(): TDevice {
  const list = cpus();
  return { kind: 'cpu', name: list[0]?.model.trim() ?? 'unknown CPU', memoryMb: null, cores: list.length };
}

/**
 * Whether @tensorflow/tfjs-node-gpu loads here, checked in a throwaway process so the worker
 * itself holds no GPU memory. Returns the reason when it does not.
 */
export function checkGpuBackend(): string | null {
  const probe = `import('@tensorflow/tfjs-node-gpu').then(() => process.exit(0), (e) => { console.error(String(e && e.message || e).split('\\n')[0]); process.exit(3); })`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) return null;
  const reason = r.stderr.trim() || `exit code ${r.status}`;
  if (/Cannot find (package|module)/.test(reason)) {
    return '@tensorflow/tfjs-node-gpu is not installed (npm i @tensorflow/tfjs-node-gpu on a machine with CUDA 11.2 + cuDNN 8.1, the versions libtensorflow 2.9.1 needs)';
  }
  return `@tensorflow/tfjs-node-gpu cannot load: ${reason} (libtensorflow 2.9.1 needs CUDA 11.2 and cuDNN 8.1 libraries on the library path)`;
}
