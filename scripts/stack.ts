// `npm run quickstart`: services up, migrations, demo seed, api + worker + web (a production
// build, cached by source hash), a demo sweep. Ctrl-C, SIGTERM or a closed terminal stop
// everything this script started; if this script dies without cleaning up (even SIGKILL), its
// children notice and stop by themselves (HZ_STOP_WITH_PARENT, libs/lifecycle).
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { createHyperzooClient, describeClientError } from '@hyperzoo/client';
import { auth, createTeamWithOwner } from '@hyperzoo/api-routers';
import { createDb } from '@hyperzoo/db';
import { loadOnednn } from '@hyperzoo/models';
import { onShutdown } from '@hyperzoo/lifecycle';
import { redactUrl, type TSweepSpecInput } from '@hyperzoo/schemas';

import { ensureDatabase, ensurePostgres, ensureRedis } from './lib/services';
import { ensureWebBuild, startWebServer } from './lib/web-build';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hyperzoo',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  API_PORT: process.env.API_PORT ?? '4000',
  WEB_PORT: process.env.WEB_PORT ?? '3000',
  HZ_QUEUE_PREFIX: process.env.HZ_QUEUE_PREFIX ?? '',
};
const API_URL = `http://127.0.0.1:${env.API_PORT}`;
const WEB_URL = `http://localhost:${env.WEB_PORT}`;
const DEMO = { team: 'demo', email: 'demo@hyperzoo.local', name: 'Demo User' };
/** The first comparison a newcomer sees: 4 small runs (300 images, 2 epochs), about a minute on one CPU core. */
const DEMO_SWEEP = {
  name: 'demo: mlp vs lenet5, relu vs sigmoid',
  project: 'default',
  architectures: ['mlp', 'lenet5'],
  dataset: { dataset: 'fashion-mnist', subsetPerClass: 30, validationSize: 0.2, testPerClass: 20 },
  method: 'grid',
  metric: { name: 'val_accuracy', goal: 'maximize' },
  parameters: { activation: { values: ['relu', 'sigmoid'] }, epochs: { value: 2 } },
  maxConcurrent: 2,
} satisfies TSweepSpecInput;
const log = (m: string) => console.log(`[quickstart] ${m}`);
const children: { name: string; child: ChildProcess }[] = [];
const building = new AbortController();

/** Prints a child's output line by line with its name; the child stops the stack when it exits. */
function watch(name: string, child: ChildProcess): ChildProcess {
  const prefix = (line: string) => line && console.log(`[${name}] ${line}`);
  child.stdout?.on('data', (b: Buffer) => b.toString().trimEnd().split('\n').forEach(prefix));
  child.stderr?.on('data', (b: Buffer) => b.toString().trimEnd().split('\n').forEach(prefix));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

/**
 * Starts a child that stops when we are gone: we hold its stdin open (HZ_STOP_WITH_PARENT=1),
 * and the kernel closes it when we exit, however we exit. The new child also holds the stdin of
 * each child in `holds`, which so outlives it: the worker holds the api's, so after a crash of
 * ours the api still takes the worker's hand-back and stops only once the worker is gone too.
 */
function start(name: string, args: string[], extraEnv: Record<string, string>, holds: ChildProcess[] = []): ChildProcess {
  const child = spawn(args[0] as string, args.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env, API_URL, NEXT_TELEMETRY_DISABLED: '1', ...extraEnv, HZ_STOP_WITH_PARENT: '1' },
    stdio: ['pipe', 'pipe', 'pipe', ...holds.map((c) => c.stdin)] as StdioOptions,
    detached: true, // own process group: Ctrl-C reaches it only through stop(), in order
  });
  return watch(name, child);
}

let stopping: Promise<never> | undefined;
const isRunning = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
const killGroup = (c: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-(c.pid as number), signal);
  } catch {
    /* already gone */
  }
};

/** Stops children in reverse start order (web, worker, api), so the worker can still hand its run back to the API. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    building.abort();
    for (const { name, child: c } of [...children].reverse()) {
      if (!c.pid || !isRunning(c)) continue;
      log(`stopping ${name}${name === 'worker' ? ' (it hands its run back first: at most 45 s)' : ''}`);
      killGroup(c, 'SIGTERM');
      // The worker's own shutdown bound is 45 s (docs/WORKER.md).
      const deadline = Date.now() + 50_000;
      while (isRunning(c) && Date.now() < deadline) await sleep(200);
      if (isRunning(c)) killGroup(c, 'SIGKILL');
    }
    log('stopped');
    process.exit(code);
  })();
  return stopping;
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

// SIGINT (Ctrl-C), SIGTERM, SIGHUP (the terminal closed), or our parent gone: the same orderly stop.
onShutdown((reason) => {
  log(`${reason}: stopping web, worker, then api`);
  void stop(0);
});

try {
  log(`Postgres: ${redactUrl(env.DATABASE_URL)}; Redis: ${redactUrl(env.REDIS_URL)}`);
  await ensurePostgres(env.DATABASE_URL, log, { userSet: Boolean(process.env.DATABASE_URL) });
  await ensureRedis(env.REDIS_URL, log, { userSet: Boolean(process.env.REDIS_URL) });
  await ensureDatabase(env.DATABASE_URL);
  log('applying migrations');
  execFileSync(`${ROOT}/node_modules/.bin/prisma`, ['migrate', 'deploy'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
  const secrets = await seed();

  const api = start('api', [process.execPath, '--import', 'tsx', 'apps/api/src/main.ts'], {});
  await waitHttp(`${API_URL}/healthz`, 'the API', 60);
  // Built once here rather than by each trainer as it starts.
  const native = loadOnednn();
  log('addon' in native ? 'trainer convolutions, pooling, batch norm: oneDNN' : `trainer convolutions: wasm kernels (${native.reason}); with oneDNN, CNNs train 1.2-1.7x faster (ResNet 3x)`);
  start('worker', [process.execPath, '--import', 'tsx', 'apps/worker/src/main.ts'], { HZ_WORKER_TOKEN: secrets.workerToken, TFJS_BACKEND: process.env.TFJS_BACKEND ?? 'auto' }, [api]);

  const webEnv = { API_URL, NEXT_TELEMETRY_DISABLED: '1' };
  const started = Date.now();
  const build = await ensureWebBuild({ env: webEnv, log: (line) => console.log(`[web build] ${line}`), signal: building.signal });
  if (build.reused) log(`dashboard: sources unchanged, reusing production build ${build.hash} (no next build)`);
  else log(`dashboard: production build ${build.hash} took ${Math.round((Date.now() - started) / 1000)} s`);
  watch('web', startWebServer(build, { port: Number(env.WEB_PORT), env: webEnv }));
  await waitHttp(`${WEB_URL}/login`, 'the dashboard', 60);

  const client = createHyperzooClient({ url: API_URL, apiKey: secrets.apiKey });
  const sweep = await client.sweeps.create.mutate({ teamSlug: DEMO.team, spec: DEMO_SWEEP });
  console.log(`
  Hyperzoo is up.
    Dashboard:  ${WEB_URL}
    Login:      ${DEMO.email} / ${secrets.password}
    API:        ${API_URL}/trpc   (API key: ${secrets.apiKey})
    Demo sweep: ${WEB_URL}/teams/${DEMO.team}/sweeps/${sweep.sweepId}   (${sweep.runs} runs: mlp and lenet5 x relu and sigmoid)
    Watch it:   HZ_API_URL=${API_URL} HZ_API_KEY=${secrets.apiKey} npx hz sweep watch ${sweep.sweepId}
  Ctrl-C (or closing this terminal) stops api, worker and web.
`);
  let last = '';
  for (;;) {
    const s = await client.sweeps.get.query({ sweepId: sweep.sweepId });
    const line = Object.entries(s.counts)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ');
    if (line !== last) log(`demo sweep ${s.status}: ${line}`);
    last = line;
    if (s.status === 'finished' || s.status === 'cancelled') {
      const best = s.runs.find((r) => r.id === s.best?.runId);
      log(`demo sweep ${s.status}; best ${s.metric.name} ${s.best?.value.toFixed(3) ?? '-'}${best ? ` (${best.architecture}, ${JSON.stringify(best.params)})` : ''}`);
      break;
    }
    await sleep(2000);
  }
} catch (err) {
  console.error(`[quickstart] ${describeClientError(err)}`);
  await stop(1);
}
