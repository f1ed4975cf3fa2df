// npm run bench:runs -- [--only ingest,compare,list,concurrent] [--concurrency 200] [--rounds 3] [--pool N] [--profile DIR]
// Against the bench database (npm run bench:runs-seed first): the API as its own process, called
// over real HTTP with the typed client. Prints one JSON line per measurement.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { auth } from '@hyperzoo/api-routers';
import { createHyperzooClient } from '@hyperzoo/client';
import { createDb } from '@hyperzoo/db';
import { freePort } from '@hyperzoo/lifecycle';
import type { TListRunsInput } from '@hyperzoo/schemas';

import { BENCH_DATABASE_URL, BENCH_TEAM, percentiles } from './bench-db';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'ingest,compare,list,concurrent' },
    concurrency: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    pool: { type: 'string' },
    /** Writes a V8 CPU profile of the API process into this directory (open it in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const ONLY = new Set(values.only.split(','));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const out = (o: object) => console.log(JSON.stringify(o));

const db = createDb(BENCH_DATABASE_URL);
const team = await db.team.findUnique({ where: { slug: BENCH_TEAM } });
if (!team) throw new Error('no bench team: run npm run bench:runs-seed first');
const { key } = await auth.createApiKey(db, { teamId: team.id, userId: null, name: `bench-${randomUUID().slice(0, 8)}`, scopes: ['runs:read', 'runs:write'] });

const port = await freePort();
const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
const api = spawn(process.execPath, [...profile, '--import', 'tsx', 'apps/api/src/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    DATABASE_URL: BENCH_DATABASE_URL,
    API_PORT: String(port),
    HZ_QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}-`,
    LOG_LEVEL: 'warn',
    ...(values.pool ? { HZ_DB_POOL_SIZE: values.pool } : {}),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); i++) {
  if (i > 300) throw new Error('the API did not start in 30 s');
  await sleep(100);
}
const client = createHyperzooClient({ url, apiKey: key, timeoutMs: 120_000 });
const teamSlug = BENCH_TEAM;

/** CPU time (user + system, ms) the API process has used so far: per-call cost that the machine's load does not inflate. */
function apiCpuMs(): number {
  const fields = readFileSync(`/proc/${api.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
async function cpuPerCall(calls: number, fn: () => Promise<unknown>): Promise<number> {
  const before = apiCpuMs();
  await fn();
  return Number(((apiCpuMs() - before) / calls).toFixed(2));
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
async function repeat(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push(await timed(fn));
  return ms;
}
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

try {
  if (ONLY.has('ingest')) {
    const epoch = (n: number) => ({ epoch: n, loss: 1 / n, accuracy: 0.5, val_loss: 1.1 / n, val_accuracy: 0.45, lr: 0.001, duration_ms: 900, images_per_sec: 2000 });
    const newRun = async () =>
      (await client.sdk.createRun.mutate({ teamSlug, runId: randomUUID(), projectSlug: 'bench-ingest', config: { architecture: 'mlp', epochs: 5000 } })).id;
    // Bulk: 1,000 epochs a call (about 200 KB), 4 calls in flight.
    const runs = await Promise.all(Array.from({ length: 20 }, newRun));
    const calls = runs.flatMap((runId) => Array.from({ length: 5 }, (_, k) => ({ runId, epochs: Array.from({ length: 1000 }, (_, i) => epoch(k * 1000 + i + 1)) })));
    let bulkMs = 0;
    const cpu = await cpuPerCall(calls.length, async () => void (bulkMs = await timed(() => pool(calls, 4, (c) => client.sdk.logEpochs.mutate(c)))));
    out({
      bench: 'ingest-bulk',
      rows: calls.length * 1000,
      epochsPerCall: 1000,
      inFlight: 4,
      seconds: Number((bulkMs / 1000).toFixed(2)),
      rowsPerSec: Math.round((calls.length * 1000 * 1000) / bulkMs),
      apiCpuMsPerCall: cpu,
    });
    // Per epoch: one call per epoch, as a training loop reports; sequential, then 8 runs at once.
    const one = await newRun();
    const seq = await repeat(300, async () => client.sdk.logEpochs.mutate({ runId: one, epochs: [epoch(1)] }));
    out({ bench: 'ingest-per-epoch', inFlight: 1, ...percentiles(seq), callsPerSec: Math.round(1000 / (seq.reduce((a, b) => a + b, 0) / seq.length)) });
    const eight = await Promise.all(Array.from({ length: 8 }, newRun));
    const perEpoch = eight.flatMap((runId) => Array.from({ length: 100 }, (_, i) => ({ runId, epochs: [epoch(i + 1)] })));
    const concMs = await timed(() => pool(perEpoch, 8, (c) => client.sdk.logEpochs.mutate(c)));
    out({ bench: 'ingest-per-epoch', inFlight: 8, calls: perEpoch.length, callsPerSec: Math.round((perEpoch.length * 1000) / concMs) });
    await db.run.deleteMany({ where: { project: { teamId: team.id, slug: 'bench-ingest' } } });
  }

  if (ONLY.has('compare')) {
    const ids = (await db.run.findMany({ where: { project: { teamId: team.id }, status: 'succeeded' }, select: { id: true }, take: 50, orderBy: { createdAt: 'desc' } })).map((r) => r.id);
    let ms: number[] = [];
    const cpu = await cpuPerCall(31, async () => void (ms = await repeat(30, () => client.runs.compare.query({ teamSlug, runIds: ids, metrics: ['loss', 'val_loss', 'accuracy', 'val_accuracy'] }))));
    out({ bench: 'runs.compare', runs: ids.length, epochsPerRun: 100, metrics: 4, ...percentiles(ms), apiCpuMsPerCall: cpu });
  }

  if (ONLY.has('list')) {
    const shapes: Record<string, Partial<TListRunsInput>> = {
      newest: {},
      'succeeded mlp+resnet by -val_accuracy': { status: ['succeeded'], architecture: ['mlp', 'resnet'], sort: 'val_accuracy', order: 'desc' },
      'optimizer.name=adam by gap_loss': { config: { 'optimizer.name': 'adam' }, sort: 'gap_loss', order: 'asc' },
      'val_accuracy>=0.9 by params': { metrics: { val_accuracy: { gte: 0.9 } }, sort: 'params', order: 'asc' },
      'tag baseline by -test_accuracy': { tag: 'baseline', sort: 'test_accuracy', order: 'desc' },
      'by -duration_ms, limit 500': { sort: 'duration_ms', order: 'desc', limit: 500 },
    };
    for (const [name, filters] of Object.entries(shapes)) {
      const first = await client.runs.list.query({ teamSlug, limit: 100, ...filters });
      const ms = await repeat(30, () => client.runs.list.query({ teamSlug, limit: 100, ...filters }));
      const page2 = first.nextCursor ? await repeat(10, () => client.runs.list.query({ teamSlug, limit: 100, ...filters, cursor: first.nextCursor ?? undefined })) : [];
      out({ bench: 'runs.list', shape: name, rows: first.runs.length, ...percentiles(ms), page2: page2.length ? percentiles(page2) : null });
    }
  }

  if (ONLY.has('concurrent')) {
    const n = Number(values.concurrency);
    const rounds: number[] = [];
    const burst = async (fn: () => Promise<unknown>) => Promise.all(Array.from({ length: n }, () => timed(fn)));
    const list100 = () => client.runs.list.query({ teamSlug, limit: 100 });
    const cpu = { list100: 0, authMe: 0, list10: 0 };
    const rn = Number(values.rounds);
    cpu.list100 = await cpuPerCall(n * rn, async () => {
      for (let r = 0; r < rn; r++) rounds.push(...(await burst(list100)));
    });
    let meOnly: number[] = [];
    cpu.authMe = await cpuPerCall(n, async () => void (meOnly = await burst(() => client.auth.me.query())));
    let small: number[] = [];
    cpu.list10 = await cpuPerCall(n, async () => void (small = await burst(() => client.runs.list.query({ teamSlug, limit: 10 }))));
    out({
      bench: 'runs.list concurrent',
      concurrency: n,
      limit: 100,
      pool: values.pool ?? 'default',
      ...percentiles(rounds),
      authMeOnly: percentiles(meOnly),
      limit10: percentiles(small),
      apiCpuMsPerCall: cpu,
    });
  }
} finally {
  const exited = new Promise((r) => api.once('exit', r));
  api.kill('SIGTERM');
  await exited;
  await db.apiKey.deleteMany({ where: { teamId: team.id, name: { startsWith: 'bench-' } } });
  await db.$disconnect();
}
