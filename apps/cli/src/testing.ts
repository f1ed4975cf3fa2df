import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Command } from 'commander';
import { vi } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { freePort } from '@hyperzoo/lifecycle';

/** Runs `hz <args>` with the given command module registered; returns what it printed. */
export async function runCli(register: (program: Command) => void, args: string[]): Promise<string> {
  const program = new Command('hz').exitOverride();
  register(program);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await program.parseAsync(['node', 'hz', ...args]);
    return log.mock.calls.map((c) => String(c[0])).join('\n');
  } finally {
    log.mockRestore();
  }
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface TApiProcess {
  url: string;
  /** The API's HZ_QUEUE_PREFIX, for a worker started beside it. */
  queuePrefix: string;
  db: TestDatabase;
  seed: Awaited<ReturnType<typeof seedTeam>>;
  close(): Promise<void>;
}

/** The real API as its own process (`apps/api/src/main.ts`) on a fresh, migrated database with one seeded team. */
/** `env` adds to the API's environment; it may depend on the seeded team (e.g. to make it the platform pool). */
export async function startApiProcess(env: (seed: Awaited<ReturnType<typeof seedTeam>>) => Record<string, string> = () => ({})): Promise<TApiProcess> {
  const db = await createTestDatabase();
  const seed = await seedTeam(db.db);
  const port = await freePort();
  const queuePrefix = `test-${randomUUID().slice(0, 8)}-`;
  const artifactDir = mkdtempSync(path.join(tmpdir(), 'hz-cli-api-artifacts-'));
  let output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      API_PORT: String(port),
      HZ_QUEUE_PREFIX: queuePrefix,
      HZ_ARTIFACT_STORE_DIR: artifactDir,
      LOG_LEVEL: 'warn',
      ...env(seed),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`the API exited with ${proc.exitCode}: ${output}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error(`the API did not start in 30 s: ${output}`);
    await sleep(100);
  }
  return {
    url,
    queuePrefix,
    db,
    seed,
    async close() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      await db.drop();
      rmSync(artifactDir, { recursive: true, force: true });
    },
  };
}

/** A real worker process (wasm) for the API process's team and queues; stop() waits for its orderly exit. */
export function startWorkerProcess(api: TApiProcess): { stop(): Promise<void>; output(): string } {
  let output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      API_URL: api.url,
      HZ_WORKER_TOKEN: api.seed.workerToken,
      HZ_QUEUE_PREFIX: api.queuePrefix,
      TFJS_BACKEND: 'wasm',
      HZ_ARTIFACT_DIR: mkdtempSync(path.join(tmpdir(), 'hz-cli-artifacts-')),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (output += b.toString()));
  return {
    output: () => output,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the real `hz` binary (bin/hz.js) with this environment; never throws on a non-zero exit. */
export function runHz(args: string[], env: Record<string, string>, input?: string, timeoutMs = 60_000): { status: number | null; stdout: string; stderr: string } {
  // The caller's own settings must not leak in.
  const { HZ_API_URL: _url, HZ_API_KEY: _key, ...base } = process.env;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'apps/cli/bin/hz.js'), ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    input,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
