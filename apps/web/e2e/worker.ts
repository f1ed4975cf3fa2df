// A real worker process for the browser tests that need a trained model (the "try it" panel),
// spawned from source as apps/api's own whole-stack tests do.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface TWorker {
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts apps/worker (wasm backend) for a team: its worker token, the API and the queue prefix the API uses. */
export function startWorker(opts: { apiUrl: string; redisUrl: string; workerToken: string; queuePrefix: string }): TWorker {
  const artifactDir = mkdtempSync(path.join(tmpdir(), 'hz-web-e2e-worker-'));
  let out = '';
  // node --import tsx: one process, so a signal reaches the worker itself.
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: opts.redisUrl,
      API_URL: opts.apiUrl,
      HZ_WORKER_TOKEN: opts.workerToken,
      HZ_QUEUE_PREFIX: opts.queuePrefix,
      HZ_WORKER_NAME: 'web-e2e',
      TFJS_BACKEND: 'wasm',
      HZ_ARTIFACT_DIR: artifactDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return {
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGKILL');
        await exited;
      }
      rmSync(artifactDir, { recursive: true, force: true });
    },
  };
}
