// The real `npm run quickstart` in a pseudo-terminal (util-linux `script`), on a test database,
// free ports and a random queue prefix, so it never touches a real quickstart. However it ends
// (its terminal closed, its orchestrator SIGKILLed), no process of it may remain.
// Every process of one quickstart carries its HZ_QUEUE_PREFIX in its environment: that is how
// the test finds them all (api, worker, trainer, web, the orchestrator and npm itself).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';

import { ensureWebBuild } from './lib/web-build';
import { freePort } from '@hyperzoo/lifecycle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The worker's shutdown bound is 45 s (docs/WORKER.md); the rest stop in a few seconds. */
const GONE_WITHIN_MS = 60_000;
/** With the web build made beforehand (the quickstart reuses it), start-up takes seconds. */
const UP_WITHIN_MS = 180_000;

interface TProc {
  pid: number;
  cmd: string;
}

/** Processes whose environment holds `marker` (one NAME=value entry). */
function findProcesses(marker: string): TProc[] {
  const found: TProc[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker)) continue;
      found.push({ pid: Number(pid), cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

let t: TestDatabase;
let ports: { api: number; web: number };
let webBuildHash: string;
const markers: string[] = [];

interface TQuickstart {
  terminal: ChildProcess;
  marker: string;
  output: () => string;
}

/** `npm run quickstart` in a new pseudo-terminal; resolves once it says "Hyperzoo is up". */
async function startQuickstart(): Promise<TQuickstart> {
  const prefix = `test-${randomUUID()}`;
  const marker = `HZ_QUEUE_PREFIX=${prefix}`;
  markers.push(marker);
  const terminal = spawn('script', ['-qfec', 'npm run quickstart', '/dev/null'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL,
      API_PORT: String(ports.api),
      WEB_PORT: String(ports.web),
      HZ_QUEUE_PREFIX: prefix,
      HZ_ARTIFACT_DIR: mkdtempSync(path.join(tmpdir(), 'hz-quickstart-artifacts-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  terminal.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  terminal.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const deadline = Date.now() + UP_WITHIN_MS;
  while (!output.includes('Hyperzoo is up')) {
    if (terminal.exitCode !== null) throw new Error(`the quickstart ended (${terminal.exitCode}) before it was up:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`the quickstart was not up within ${UP_WITHIN_MS / 1000} s:\n${output.slice(-4000)}`);
    await sleep(500);
  }
  return { terminal, marker, output: () => output };
}

/** A shell command's exit code and output; killed after `timeoutMs`. */
function runShell(command: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('sh', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** The processes that make a quickstart, found by marker; fails unless all of them are there. */
function expectWholeStack(marker: string): TProc[] {
  const procs = findProcesses(marker);
  const cmds = procs.map((p) => p.cmd).join('\n');
  for (const part of ['scripts/stack.ts', 'apps/api/src/main.ts', 'apps/worker/src/main.ts', 'scripts/run-owned.ts', 'next-server']) {
    expect(cmds, `no "${part}" among the quickstart's processes`).toContain(part);
  }
  return procs;
}

/** Waits for a trainer of the demo sweep, so that a run is in flight when the quickstart is stopped. */
async function waitForTrainer(marker: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!findProcesses(marker).some((p) => p.cmd.includes('apps/worker/src/trainer.ts'))) {
    if (Date.now() > deadline) throw new Error('the demo sweep never started a trainer');
    await sleep(200);
  }
}

/** The api, worker, web and orchestrator among a quickstart's processes. */
function findRoles(procs: TProc[]) {
  const find = (part: string) => procs.find((p) => p.cmd.includes(part)) as TProc;
  return { orchestrator: find('scripts/stack.ts'), api: find('apps/api/src/main.ts'), worker: find('apps/worker/src/main.ts'), web: find('scripts/run-owned.ts') };
}

/**
 * Polls until no process with the marker is left (or the bound passes); says what is left and
 * when each process of `roles` was last seen, for the order in which they stopped.
 */
async function waitUntilGone(marker: string, roles: Record<string, TProc>) {
  const started = Date.now();
  const lastSeen: Record<string, number> = {};
  let left = findProcesses(marker);
  while (left.length > 0 && Date.now() < started + GONE_WITHIN_MS) {
    for (const [role, p] of Object.entries(roles)) if (left.some((l) => l.pid === p.pid)) lastSeen[role] = Date.now() - started;
    await sleep(100);
    left = findProcesses(marker);
  }
  const leftover = left.map((p) => `${p.pid} ${p.cmd}`).join('\n');
  expect(left, `still running after ${GONE_WITHIN_MS / 1000} s:\n${leftover}`).toEqual([]);
  return (role: string) => lastSeen[role] ?? -1;
}

/** The stop was orderly: the worker handed its run back and reported itself stopped to the API. */
async function expectOrderlyStop(): Promise<void> {
  const workers = await t.db.worker.findMany({ select: { name: true, stoppedAt: true } });
  expect(workers.length).toBeGreaterThan(0);
  for (const w of workers) expect(w.stoppedAt, `worker ${w.name} never said it stopped`).not.toBeNull();
  expect(await t.db.run.count({ where: { status: 'running' } })).toBe(0);
}

beforeAll(async () => {
  if (spawnSync('sh', ['-c', 'command -v script']).status !== 0) {
    throw new Error('The quickstart test needs util-linux `script` for a pseudo-terminal (apt-get install -y bsdutils)');
  }
  t = await createTestDatabase();
  ports = { api: await freePort(), web: await freePort() };
  // The web build for these sources, through the module the quickstart uses: both quickstarts
  // below must find it and skip `next build`.
  const build = await ensureWebBuild({ env: {}, log: () => undefined });
  webBuildHash = build.hash;
}, 420_000);

afterEach(async () => {
  // Whatever a failed test left behind is not left running.
  for (const marker of markers) for (const p of findProcesses(marker)) spawnSync('kill', ['-KILL', String(p.pid)]);
});

afterAll(async () => {
  await t?.drop();
  // The quickstarts' queues, under their prefixes.
  const redis = new Redis(REDIS_URL);
  try {
    for (const marker of markers) {
      const keys = [];
      for await (const batch of redis.scanStream({ match: `*${marker.split('=')[1]}*`, count: 500 })) keys.push(...(batch as string[]));
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
});

describe('npm run quickstart', () => {
  it('reuses the cached web build, and leaves nothing behind when its terminal is closed', async () => {
    const qs = await startQuickstart();
    expect(qs.output()).toContain(`sources unchanged, reusing production build ${webBuildHash} (no next build)`);
    expect(qs.output()).toMatch(new RegExp(`Demo sweep: http://localhost:${ports.web}/teams/demo/sweeps/[0-9a-f-]{36} +\\(4 runs: mlp and lenet5 x relu and sigmoid\\)`));
    const roles = findRoles(expectWholeStack(qs.marker));
    // It really runs on the pseudo-terminal, so closing it is a hang-up.
    expect(readlinkSync(`/proc/${roles.orchestrator.pid}/fd/1`)).toMatch(/^\/dev\/pts\//);
    await waitForTrainer(qs.marker);

    qs.terminal.kill('SIGKILL'); // the terminal goes away: the kernel hangs up its session
    const lastSeen = await waitUntilGone(qs.marker, roles);
    // The orchestrator itself stopped web, then worker, then api, and went last (had it died
    // of the hang-up instead, the children would have stopped on their own, after it).
    expect(lastSeen('web'), 'ms until the web was gone, vs the worker').toBeLessThanOrEqual(lastSeen('worker'));
    expect(lastSeen('worker'), 'ms until the worker was gone, vs the api').toBeLessThanOrEqual(lastSeen('api'));
    expect(lastSeen('api'), 'ms until the api was gone, vs the orchestrator (did it die of the hang-up?)').toBeLessThanOrEqual(lastSeen('orchestrator'));
    await expectOrderlyStop();
  });

  it('the demo sweep finishes; the watch command it prints follows it to the end', async () => {
    const qs = await startQuickstart();
    const roles = findRoles(expectWholeStack(qs.marker));
    const watch = /Watch it: +(HZ_API_URL=\S+ HZ_API_KEY=\S+ npx hz sweep watch [0-9a-f-]{36})/.exec(qs.output())?.[1];
    expect(watch, qs.output()).toBeDefined();
    // Not spawnSync: this process must keep reading the quickstart's output meanwhile.
    const r = await runShell(watch as string, 300_000);
    expect(r.status, `${r.stdout}\n${r.stderr}\n${qs.output().slice(-3000)}`).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f-]{36} finished: succeeded 4 of 4 runs; best val_accuracy [\d.]+ \(run [0-9a-f-]{36}\)$/m);
    // The quickstart's own log says so too, with the best run's settings.
    const deadline = Date.now() + 10_000;
    while (!/demo sweep finished; best val_accuracy [\d.]+ \((mlp|lenet5), \{.*"activation":"(relu|sigmoid)".*\}\)/.test(qs.output()) && Date.now() < deadline) await sleep(200);
    expect(qs.output()).toMatch(/demo sweep finished; best val_accuracy [\d.]+ \((mlp|lenet5), \{.*"activation":"(relu|sigmoid)".*\}\)/);
    // The printed link opens the sweep's page for the printed login.
    const link = /Demo sweep: +(\S+)/.exec(qs.output())?.[1] ?? '';
    const [email, password] = /Login: +(\S+) \/ (\S+)/.exec(qs.output())?.slice(1) ?? [];
    const origin = new URL(link).origin;
    const login = await fetch(`${origin}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ json: { email, password } }) });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(link, { headers: { cookie }, redirect: 'manual' })).status, link).toBe(200);

    // Ctrl-C this time (the terminal stays, so the stop is logged).
    process.kill(roles.orchestrator.pid, 'SIGINT');
    await waitUntilGone(qs.marker, roles);
    expect(qs.output()).toContain('[quickstart] stopped');
    await expectOrderlyStop();
  });

  it('leaves nothing behind when its orchestrator is SIGKILLed', async () => {
    const qs = await startQuickstart();
    const roles = findRoles(expectWholeStack(qs.marker));
    await waitForTrainer(qs.marker);

    process.kill(roles.orchestrator.pid, 'SIGKILL'); // no chance to clean up: the children must notice
    const lastSeen = await waitUntilGone(qs.marker, roles);
    // The api outlived the worker, so the worker could still hand its run back.
    expect(lastSeen('worker'), 'ms until the worker was gone, vs the api').toBeLessThanOrEqual(lastSeen('api'));
    await expectOrderlyStop();
  });
});
