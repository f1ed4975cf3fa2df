import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** e.g. "AMD EPYC 7B13, 2 cores". */
export function describeCpu(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || os.arch();
  return `${model}, ${cpus.length} ${cpus.length === 1 ? 'core' : 'cores'}`;
}

export interface TGpu {
  name: string;
  memoryMb: number | null;
}

/** NVIDIA GPUs as nvidia-smi lists them (index order = CUDA_VISIBLE_DEVICES order); [] when there is no driver or no GPU. */
export async function listNvidiaGpus(): Promise<TGpu[]> {
  try {
    const { stdout } = await execFileAsync('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: 10_000 });
    return stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [name = 'GPU', memory = ''] = line.split(',').map((part) => part.trim());
        return { name, memoryMb: Number(memory) || null };
      });
  } catch {
    return [];
  }
}

/** Names of the NVIDIA GPUs nvidia-smi reports. */
export async function findNvidiaGpus(): Promise<string[]> {
  return (await listNvidiaGpus()).map((gpu) => gpu.name);
}
