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

/** Names of the NVIDIA GPUs nvidia-smi reports; [] when there is no driver or no GPU. */
export async function findNvidiaGpus(): Promise<string[]> {
  try {
    const { stdout } = await execFileAsync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 10_000 });
    return stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  } catch {
    return [];
  }
}
