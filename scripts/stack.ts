// `npm run quickstart`: services up, migrations, demo seed, api + worker + web, a demo run.
// Ctrl-C stops everything this script started.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { createHyperzooClient, describeClientError } from '@hyperzoo/client';
import { auth, createTeamWithOwner } from '@hyperzoo/api-routers';
import { createDb } from '@hyperzoo/db';
import { isTerminalStatus, redactUrl } from '@hyperzoo/schemas';

import { ensureDatabase, ensurePostgres, ensureRedis } from './lib/services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hyperzoo',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  API_PORT: process.env.API_PORT ?? '4000',
  WEB_PORT: process.env.WEB_PORT ?? '3000',
};
const API_URL = `http://127.0.0.1:${env.API_PORT}`;
const WEB_URL = `http://localhost:${env.WEB_PORT}`;
const DEMO = { team: 'demo', email: 'demo@hyperzoo.local', name: 'Demo User' };
const log = (m: string) => console.log(`[quickstart] ${m}`);
const children: ChildProcess[] = [];

function start(name: string, args: string[], extraEnv: Record<string, string>, cwd = ROOT): ChildProcess {
  const child = spawn(args[0] as string, args.slice(1), {
    cwd,
    env: { ...process.env, ...env, API_URL, NEXT_TELEMETRY_DISABLED: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so Ctrl-C can stop its children too
  });
  const prefix = (line: string) => line && console.log(`[${name}] ${line}`);
  child.stdout?.on('data', (b: Buffer) => b.toString().trimEnd().split('\n').forEach(prefix));
  child.stderr?.on('data', (b: Buffer) => b.toString().trimEnd().split('\n').forEach(prefix));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
const isRunning = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Stops children in reverse start order (web, worker, api), so the worker can still hand its run back to the API. */
async function stop(code: number): Promise<never> {
  stopping = true;
  for (const c of [...children].reverse()) {
    if (!c.pid || !isRunning(c)) continue;
    process.kill(-c.pid, 'SIGTERM');
    // The worker's own shutdown bound is 45 s (docs/WORKER.md).
    const deadline = Date.now() + 50_000;
    while (isRunning(c) && Date.now() < deadline) await sleep(200);
    if (isRunning(c)) process.kill(-c.pid, 'SIGKILL');
  }
  process.exit(code);
}

async function waitHttp(url: string, what: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await sleep(1000);
  }
  throw new Error(`${what} did not answer at ${url} within ${seconds}s`);
}

async function seed() {
  const db = createDb(env.DATABASE_URL);
  try {
    const password = randomBytes(9).toString('base64url');
    let team = await db.team.findUnique({ where: { slug: DEMO.team }, select: { id: true } });
    if (!team) {
      const created = await createTeamWithOwner(db, { slug: DEMO.team, name: 'Demo team', owner: { email: DEMO.email, name: DEMO.name, password } });
      team = { id: created.teamId };
    }
    // A fresh password and keys on every quickstart; the old quickstart keys are revoked.
    const user = await db.user.update({ where: { email: DEMO.email }, data: { passwordHash: await auth.hashPassword(password) }, select: { id: true } });
    await db.apiKey.updateMany({ where: { teamId: team.id, name: { startsWith: 'quickstart' }, revokedAt: null }, data: { revokedAt: new Date() } });
    const apiKey = await auth.createApiKey(db, { teamId: team.id, userId: user.id, name: 'quickstart', scopes: ['runs:read', 'runs:write'] });
    const workerKey = await auth.createApiKey(db, { teamId: team.id, userId: null, name: 'quickstart-worker', scopes: ['worker'] });
    return { password, apiKey: apiKey.key, workerToken: workerKey.key };
  } finally {
    await db.$disconnect();
  }
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  log(`Postgres: ${redactUrl(env.DATABASE_URL)}; Redis: ${redactUrl(env.REDIS_URL)}`);
  await ensurePostgres(env.DATABASE_URL, log, { userSet: Boolean(process.env.DATABASE_URL) });
  await ensureRedis(env.REDIS_URL, log, { userSet: Boolean(process.env.REDIS_URL) });
  await ensureDatabase(env.DATABASE_URL);
  log('applying migrations');
  execFileSync(`${ROOT}/node_modules/.bin/prisma`, ['migrate', 'deploy'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
  const secrets = await seed();

  start('api', [process.execPath, '--import', 'tsx', 'apps/api/src/main.ts'], {});
  await waitHttp(`${API_URL}/healthz`, 'the API', 60);
  start('worker', [process.execPath, '--import', 'tsx', 'apps/worker/src/main.ts'], { HZ_WORKER_TOKEN: secrets.workerToken, TFJS_BACKEND: process.env.TFJS_BACKEND ?? 'auto' });
  start('web', [`${ROOT}/node_modules/.bin/next`, 'dev', '--port', env.WEB_PORT], { PORT: env.WEB_PORT }, `${ROOT}/apps/web`);
  await waitHttp(`${WEB_URL}/login`, 'the dashboard', 180);

  const client = createHyperzooClient({ url: API_URL, apiKey: secrets.apiKey });
  const run = await client.runs.create.mutate({
    teamSlug: DEMO.team,
    projectSlug: 'default',
    name: 'demo: mlp on fashion-mnist (300 images, 2 epochs)',
    config: {
      architecture: 'mlp',
      epochs: 2,
      data: { dataset: 'fashion-mnist', subsetPerClass: 30, validationSize: 0.2, testPerClass: 20 },
    },
  });
  console.log(`
  Hyperzoo is up.
    Dashboard:  ${WEB_URL}
    Login:      ${DEMO.email} / ${secrets.password}
    API:        ${API_URL}/trpc   (API key: ${secrets.apiKey})
    Demo run:   ${WEB_URL}/runs/${run.id}
  Ctrl-C stops api, worker and web.
`);
  for (;;) {
    const r = await client.runs.get.query({ runId: run.id });
    if (isTerminalStatus(r.status)) {
      log(`demo run ${r.status}: ${r.epochs.length} epochs, test accuracy ${r.testAccuracy?.toFixed(3) ?? '-'}${r.error ? `, error: ${r.error}` : ''}`);
      break;
    }
    await sleep(2000);
  }
} catch (err) {
  console.error(`[quickstart] ${describeClientError(err)}`);
  await stop(1);
}
