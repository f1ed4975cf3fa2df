// A real stack for integration tests: a fresh database, the API in this process, worker
// processes spawned from source, an optional private redis-server (for restart tests).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { isTerminalStatus } from '@hyperzoo/schemas';
import type { TRunDetail } from '@hyperzoo/schemas';

import { ZApiEnv } from '../env';
import { startApiServer } from '../server';
import type { ApiServer } from '../server';
import { freePort } from '@hyperzoo/lifecycle';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A private redis-server (no persistence), so a test can stop and restart it. */
export async function startRedis(port?: number) {
  const p = port ?? (await freePort());
  const proc = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-p', String(p), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') break;
    await sleep(100);
  }
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    async stop() {
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

export interface WorkerProc {
  proc: ChildProcess;
  name: string;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface TestStack {
  db: TestDatabase;
  api: ApiServer;
  apiPort: number;
  seed: Awaited<ReturnType<typeof seedTeam>>;
  client: HyperzooClient;
  redisUrl: string;
  queuePrefix: string;
  /** The worker's HZ_ARTIFACT_DIR unless a worker is given its own. */
  artifactDir: string;
  /** The API's artifact store (a directory). */
  apiArtifactDir: string;
  startWorker(extraEnv?: Record<string, string>): WorkerProc;
  restartApi(downMs: number): Promise<void>;
  waitForRun(runId: string, done: (r: TRunDetail) => boolean, timeoutMs: number): Promise<TRunDetail>;
  killMidRun(worker: WorkerProc, runId: string, opts: { checkpointEpoch: number; epochs: number; timeoutMs: number }): Promise<number>;
  close(): Promise<void>;
}

/** `apiEnv` may depend on the seeded team (e.g. to make it the platform pool). */
export async function startTestStack(
  opts: { redisUrl?: string; apiEnv?: Record<string, string> | ((seed: Awaited<ReturnType<typeof seedTeam>>) => Record<string, string>) } = {},
): Promise<TestStack> {
  const redisUrl = opts.redisUrl ?? process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test-${randomUUID().slice(0, 8)}-`;
  const db = await createTestDatabase();
  const seed = await seedTeam(db.db);
  const apiPort = await freePort();
  const apiArtifactDir = mkdtempSync(path.join(tmpdir(), 'hz-api-artifacts-'));
  const env = ZApiEnv.parse({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    API_PORT: String(apiPort),
    HZ_QUEUE_PREFIX: prefix,
    RECONCILE_INTERVAL_MS: '1000',
    HZ_ARTIFACT_STORE_DIR: apiArtifactDir,
    ...(typeof opts.apiEnv === 'function' ? opts.apiEnv(seed) : opts.apiEnv),
  });
  const log = pino({ level: 'warn' });
  let api = await startApiServer(env, log);
  const artifactDir = mkdtempSync(path.join(tmpdir(), 'hz-artifacts-'));
  const workers: WorkerProc[] = [];
  const client = createHyperzooClient({ url: api.url, apiKey: seed.apiKey });

  const stack: TestStack = {
    db,
    get api() {
      return api;
    },
    apiPort,
    seed,
    client,
    redisUrl,
    queuePrefix: prefix,
    artifactDir,
    apiArtifactDir,
    startWorker(extraEnv = {}) {
      const name = extraEnv.HZ_WORKER_NAME ?? `w-${workers.length + 1}`;
      let out = '';
      // node --import tsx: one process (the tsx CLI would put a second one between us and the worker).
      const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          REDIS_URL: redisUrl,
          API_URL: api.url,
          HZ_WORKER_TOKEN: seed.workerToken,
          HZ_QUEUE_PREFIX: prefix,
          HZ_WORKER_NAME: name,
          TFJS_BACKEND: 'wasm',
          HZ_ARTIFACT_DIR: artifactDir,
          HZ_LOCK_DURATION_MS: '4000',
          HZ_STALLED_INTERVAL_MS: '2000',
          LOG_LEVEL: 'info',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
      proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      const w: WorkerProc = {
        proc,
        name,
        output: () => out,
        kill: (signal) =>
          new Promise((resolve) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
            proc.once('exit', (code) => resolve(code));
            proc.kill(signal);
          }),
      };
      workers.push(w);
      return w;
    },
    async restartApi(downMs) {
      await api.close();
      await sleep(downMs);
      api = await startApiServer(env, log);
    },
    async waitForRun(runId, done, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await client.runs.get.query({ runId }).catch(() => null);
        if (r && done(r)) return r;
        if (Date.now() > deadline) {
          const logs = workers.map((w) => `--- ${w.name}\n${w.output().slice(-2500)}`).join('\n');
          throw new Error(`run ${runId} did not reach the expected state in ${timeoutMs} ms (now ${r?.status}, epochs ${r?.epochs.map((e) => e.epoch).join(',')})\n${logs}`);
        }
        await sleep(300);
      }
    },
    /**
     * SIGKILLs `worker` while it holds `runId` mid-run, once a checkpoint of at least `checkpointEpoch`
     * is stored. The worker is frozen (SIGSTOP) and in-flight reports are let land before the run
     * is read again: a frozen worker reports nothing more, so a run found running short of its
     * last epoch cannot end before the kill, however fast its trainer is (a tiny run can finish
     * between a poll and a plain kill). Returns the newest stored checkpoint's epoch.
     */
    async killMidRun(worker, runId, { checkpointEpoch, epochs, timeoutMs }) {
      // Held by this worker (by its HZ_WORKER_NAME): another one may have taken the job.
      const midRun = { id: runId, status: 'running' as const, worker: { name: worker.name }, artifacts: { some: { kind: 'checkpoint', epoch: { gte: checkpointEpoch } } }, epochs: { none: { epoch: epochs } } };
      for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
        if (Date.now() > deadline) throw new Error(`run ${runId} stored no checkpoint of epoch ${checkpointEpoch} in ${timeoutMs} ms\n${worker.output().slice(-3000)}`);
        if (!(await db.db.run.findFirst({ where: midRun, select: { id: true } }))) {
          const now = await db.db.run.findUnique({ where: { id: runId }, select: { status: true } });
          if (now && isTerminalStatus(now.status)) throw new Error(`run ${runId} ended (${now.status}) before it could be killed mid-run`);
          continue;
        }
        worker.proc.kill('SIGSTOP');
        await sleep(300);
        if (await db.db.run.findFirst({ where: midRun, select: { id: true } })) break;
        worker.proc.kill('SIGCONT');
      }
      await worker.kill('SIGKILL');
      const last = await db.db.artifact.findFirst({ where: { runId, kind: 'checkpoint' }, orderBy: { epoch: 'desc' }, select: { epoch: true } });
      return last?.epoch ?? 0;
    },
    async close() {
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      await api.close();
      await db.drop();
      rmSync(apiArtifactDir, { recursive: true, force: true });
    },
  };
  return stack;
}

export const isFinal = (r: TRunDetail) => isTerminalStatus(r.status);

/** A small MLP run (400 training images) for tests that need a few seconds per epoch, not minutes. */
export const tinyMlpConfig = (epochs: number) => ({
  architecture: 'mlp' as const,
  epochs,
  batchSize: 16,
  data: { dataset: 'fashion-mnist' as const, subsetPerClass: 40, validationSize: 0.2, testPerClass: 5 },
});
