// The API (and optionally a worker) as real processes on a fresh database, for the live and
// predict benches: what a browser or `hz` talks to, not an in-process caller.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createTestDatabase } from '@hyperzoo/db/testing';
import { freePort } from '@hyperzoo/lifecycle';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function startProcess(entry: string, env: Record<string, string>, ready: (output: string) => Promise<boolean>): Promise<ChildProcess> {
  let output = '';
  // HZ_BENCH_NODE_ARGS: extra node flags for the API and worker only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.HZ_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (output += b.toString()));
  for (let i = 0; !(await ready(output)); i++) {
    if (proc.exitCode !== null || i > 600) throw new Error(`${entry} did not start: ${output}`);
    await sleep(100);
  }
  return proc;
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

export async function startBenchStack() {
  const db = await createTestDatabase();
  const seed = await seedTeam(db.db);
  const prefix = `bench-${randomUUID().slice(0, 8)}-`;
  const url = `http://127.0.0.1:${await freePort()}`;
  const api = await startProcess('apps/api/src/main.ts', { DATABASE_URL: db.url, REDIS_URL, API_PORT: new URL(url).port, HZ_QUEUE_PREFIX: prefix }, () =>
    fetch(`${url}/healthz`).then((r) => r.ok, () => false),
  );
  const procs = [api];
  return {
    db,
    seed,
    prefix,
    url,
    api,
    /** Starts a worker; resolves once it logs `readyLine` (default: it serves its queues). */
    async startWorker(env: Record<string, string>, readyLine = 'hyperzoo worker ready') {
      const proc = await startProcess('apps/worker/src/main.ts', { API_URL: url, REDIS_URL, HZ_WORKER_TOKEN: seed.workerToken, HZ_QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', ...env }, async (out) =>
        out.includes(readyLine),
      );
      procs.push(proc);
      return { proc, stop: () => stopProcess(proc) };
    },
    async close() {
      for (const p of procs.reverse()) await stopProcess(p);
      await db.drop();
    },
  };
}

export const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
