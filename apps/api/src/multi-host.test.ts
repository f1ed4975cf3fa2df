// Multi-host rehearsal on one machine: three worker "hosts", each in its own network namespace
// (a veth link to this one) with its own hostname (UTS namespace) and its own artifact directory,
// against one API, Redis and Postgres. A 12-run sweep spreads across them; one host is killed with
// SIGKILL mid-run; every run succeeds with contiguous epochs, the killed run resumes from the
// checkpoint it uploaded through the API, and the sweep finishes. Needs root and iproute2 (the build machines have both).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '@hyperzoo/lifecycle';
import { startTestStack, tinyMlpConfig } from './testing/stack';
import type { TestStack } from './testing/stack';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HOSTS = ['host-a', 'host-b', 'host-c'] as const;
// Enough epochs that a run is still going once its epoch-2 checkpoint's upload is recorded
// (uploads queue behind each other under load).
const EPOCHS = 10;
const { architecture, data, ...runParams } = tinyMlpConfig(EPOCHS);
/** A 3x4 grid of tiny runs, all queued at once so every host takes some. */
const SWEEP = {
  name: 'multi-host',
  architectures: [architecture],
  dataset: data,
  method: 'grid' as const,
  metric: { name: 'val_accuracy' },
  maxConcurrent: 12,
  parameters: {
    activation: { values: ['relu', 'sigmoid', 'tanh'] },
    'optimizer.learningRate': { values: [0.0005, 0.001, 0.002, 0.004] },
    epochs: { value: runParams.epochs },
    batchSize: { value: runParams.batchSize },
  },
};

function sh(args: string[]): void {
  const r = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()} (this test needs root and iproute2)`);
}

interface Host {
  name: string;
  ns: string;
  /** This side of the link, as the host sees it: where Redis and the API answer. */
  gateway: string;
  artifactDir: string;
  proc?: ChildProcess;
  output: string;
}

const tag = randomInt(1000, 9999);
const subnet = randomInt(16, 250);
const hosts: Host[] = HOSTS.map((name, i) => ({
  name,
  ns: `hz${tag}-${i}`,
  gateway: `10.${subnet}.${i}.1`,
  artifactDir: mkdtempSync(path.join(tmpdir(), `hz-${name}-`)),
  output: '',
}));
let redis: { proc: ChildProcess; url: string } | null = null;
let s: TestStack;

function createHost(h: Host, i: number): void {
  const [outer, inner] = [`hzv${tag}${i}o`, `hzv${tag}${i}i`];
  sh(['ip', 'netns', 'add', h.ns]);
  sh(['ip', 'link', 'add', outer, 'type', 'veth', 'peer', 'name', inner]);
  sh(['ip', 'link', 'set', inner, 'netns', h.ns]);
  sh(['ip', 'addr', 'add', `${h.gateway}/30`, 'dev', outer]);
  sh(['ip', 'link', 'set', outer, 'up']);
  sh(['ip', 'netns', 'exec', h.ns, 'ip', 'addr', 'add', `10.${subnet}.${i}.2/30`, 'dev', inner]);
  sh(['ip', 'netns', 'exec', h.ns, 'ip', 'link', 'set', inner, 'up']);
  sh(['ip', 'netns', 'exec', h.ns, 'ip', 'link', 'set', 'lo', 'up']);
}

function startHostWorker(h: Host, apiPort: number, redisPort: number): void {
  // Its own network (only the link to us) and its own hostname; the worker registers that hostname.
  const script = `hostname ${h.name} && exec "${process.execPath}" --import tsx apps/worker/src/main.ts`;
  h.proc = spawn('ip', ['netns', 'exec', h.ns, 'unshare', '--uts', 'sh', '-c', script], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: `redis://${h.gateway}:${redisPort}`,
      API_URL: `http://${h.gateway}:${apiPort}`,
      HZ_WORKER_TOKEN: s.seed.workerToken,
      HZ_QUEUE_PREFIX: s.queuePrefix,
      HZ_WORKER_NAME: h.name,
      // One trainer per host: three hosts already share this machine's cores.
      HZ_SLOTS: '1',
      TFJS_BACKEND: 'wasm',
      HZ_ARTIFACT_DIR: h.artifactDir,
      HZ_LOCK_DURATION_MS: '6000',
      HZ_STALLED_INTERVAL_MS: '2000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  h.proc.stdout?.on('data', (b: Buffer) => (h.output += b.toString()));
  h.proc.stderr?.on('data', (b: Buffer) => (h.output += b.toString()));
}

beforeAll(async () => {
  hosts.forEach(createHost);
  // A private Redis that answers on each host's link (the shared one listens on loopback only);
  // protected mode off because it would refuse the hosts (no password: these links are private).
  const redisPort = await freePort();
  const proc = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', ...hosts.map((h) => h.gateway), '--protected-mode', 'no', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  redis = { proc, url: `redis://127.0.0.1:${redisPort}` };
  for (let i = 0; spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' }).stdout.trim() !== 'PONG'; i++) {
    if (i > 50) throw new Error('private redis-server did not start');
    await sleep(100);
  }
  s = await startTestStack({ redisUrl: redis.url, apiEnv: { API_HOST: '0.0.0.0' } });
  const apiPort = Number(new URL(s.api.url).port);
  for (const h of hosts) startHostWorker(h, apiPort, redisPort);
}, 120_000);

afterAll(async () => {
  for (const h of hosts) h.proc?.kill('SIGKILL');
  await s?.close();
  redis?.proc.kill('SIGKILL');
  for (const h of hosts) {
    spawnSync('ip', ['netns', 'del', h.ns]);
    rmSync(h.artifactDir, { recursive: true, force: true });
  }
});

describe('three worker hosts, no shared disk', () => {
  it('spread a 12-run sweep; a host killed mid-run loses nothing and its run resumes elsewhere', { timeout: 600_000 }, async () => {
    const created = await s.client.sweeps.create.mutate({ teamSlug: s.seed.teamSlug, spec: SWEEP });
    expect(created).toMatchObject({ runs: 12, queued: 12 });
    const runIds = (await s.client.sweeps.get.query({ sweepId: created.sweepId })).runs.map((r) => r.id);
    expect(runIds).toHaveLength(12);

    // Kill host A once one of its runs has uploaded a checkpoint past epoch 1. Host A is frozen
    // (SIGSTOP) before the run is read: a frozen worker reports nothing more, so a run it holds with
    // fewer than EPOCHS epochs stored cannot end there, however fast its trainer is.
    const workerOfA = async () => (await s.db.db.worker.findFirst({ where: { hostname: 'host-a' }, select: { id: true } }))?.id;
    const hostA = hosts[0]?.proc;
    let victim: { runId: string; epoch: number } | null = null;
    for (const deadline = Date.now() + 300_000; !victim; await sleep(250)) {
      if (Date.now() > deadline) throw new Error(`host-a never got past epoch 1\n${hosts[0]?.output.slice(-3000)}`);
      const a = await workerOfA();
      if (!a) continue;
      const candidate = { workerId: a, status: 'running' as const, artifacts: { some: { kind: 'checkpoint', epoch: { gte: 2 } } }, epochs: { none: { epoch: EPOCHS } } };
      if (!(await s.db.db.run.findFirst({ where: candidate, select: { id: true } }))) continue;
      hostA?.kill('SIGSTOP');
      const running = await s.db.db.run.findFirst({ where: candidate, select: { id: true } });
      if (!running) {
        hostA?.kill('SIGCONT');
        continue;
      }
      const last = await s.db.db.artifact.findFirst({ where: { runId: running.id, kind: 'checkpoint' }, orderBy: { epoch: 'desc' }, select: { epoch: true } });
      victim = { runId: running.id, epoch: last?.epoch ?? 0 };
    }
    hostA?.kill('SIGKILL');

    const finished = await Promise.all(runIds.map((id) => s.waitForRun(id, (r) => r.status === 'succeeded' || r.status === 'failed', 500_000)));
    for (const r of finished) {
      expect(r.status, `${r.id}: ${r.error}`).toBe('succeeded');
      expect(r.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    }

    const rows = await s.db.db.run.findMany({ where: { id: { in: runIds } }, select: { id: true, worker: { select: { hostname: true } } } });
    const distribution: Record<string, number> = Object.fromEntries(HOSTS.map((h) => [h, 0]));
    for (const r of rows) distribution[r.worker?.hostname ?? '-'] = (distribution[r.worker?.hostname ?? '-'] ?? 0) + 1;
    console.log(`sweep ${created.sweepId}: runs finished per host: ${JSON.stringify(distribution)}; killed host-a during run ${victim.runId} after its epoch-${victim.epoch} checkpoint`);
    expect(Object.values(distribution).filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const sweep = await s.client.sweeps.get.query({ sweepId: created.sweepId });
    expect(sweep.status).toBe('finished');
    expect(sweep.counts).toMatchObject({ succeeded: 12, failed: 0 });

    // The killed run ended on another host and did not redo the epochs of its uploaded checkpoint.
    const resumed = rows.find((r) => r.id === victim?.runId);
    expect(resumed?.worker?.hostname).not.toBe('host-a');
    const epochs = await s.db.db.epochMetric.findMany({ where: { runId: victim.runId }, select: { epoch: true, attempt: true } });
    const redone = epochs.filter((e) => e.attempt > 1).map((e) => e.epoch);
    expect(Math.min(...redone), JSON.stringify(epochs)).toBeGreaterThan(victim.epoch);
  });
});
