// Makes sure Postgres and Redis answer: use the given URLs; else start local servers;
// else (root on Debian/Ubuntu) install them with apt; else say exactly what to install.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';
import pg from 'pg';

import { redactUrl } from '@hyperzoo/schemas';

const isRoot = () => process.getuid?.() === 0;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isLocal = (url: string) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);

function serverUrl(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  u.pathname = '/postgres';
  return u.toString();
}

export async function pingPostgres(databaseUrl: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: serverUrl(databaseUrl), connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function pingRedis(redisUrl: string): Promise<string | null> {
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    r.disconnect();
  }
}

function aptInstall(pkg: string, log: (m: string) => void): boolean {
  if (!isRoot() || !has('apt-get')) return false;
  log(`installing ${pkg} with apt-get...`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`, { stdio: 'inherit' });
  return true;
}

async function waitFor(ping: () => Promise<string | null>, seconds: number): Promise<string | null> {
  let last: string | null = 'not tried';
  for (let i = 0; i < seconds * 2; i++) {
    last = await ping();
    if (!last) return null;
    await sleep(500);
  }
  return last;
}

function startLocalPostgres(): boolean {
  if (!existsSync('/etc/postgresql')) return false;
  for (const version of readdirSync('/etc/postgresql')) {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  }
  return true;
}

export async function ensurePostgres(databaseUrl: string, log: (m: string) => void, opts: { userSet: boolean }): Promise<void> {
  const first = await pingPostgres(databaseUrl);
  if (!first) return;
  if (opts.userSet || !isLocal(databaseUrl)) {
    throw new Error(`cannot reach Postgres at ${redactUrl(databaseUrl)} (DATABASE_URL): ${first}`);
  }
  log(`Postgres is not answering at ${redactUrl(databaseUrl)} (${first}); starting a local one`);
  if (!startLocalPostgres()) {
    if (!aptInstall('postgresql', log) || !startLocalPostgres()) {
      throw new Error('Postgres is not installed. Install PostgreSQL 15+ (Debian/Ubuntu: sudo apt-get install postgresql) or set DATABASE_URL.');
    }
  }
  const err = await waitFor(() => pingPostgres(databaseUrl), 30);
  if (err) throw new Error(`started Postgres but cannot connect to ${redactUrl(databaseUrl)}: ${err}`);
}

export async function ensureRedis(redisUrl: string, log: (m: string) => void, opts: { userSet: boolean }): Promise<void> {
  const first = await pingRedis(redisUrl);
  if (!first) return;
  if (opts.userSet || !isLocal(redisUrl)) throw new Error(`cannot reach Redis at ${redactUrl(redisUrl)} (REDIS_URL): ${first}`);
  log(`Redis is not answering at ${redactUrl(redisUrl)} (${first}); starting a local one`);
  if (!has('redis-server') && !aptInstall('redis-server', log)) {
    throw new Error('Redis is not installed. Install Redis 7 (Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_URL.');
  }
  const port = new URL(redisUrl).port || '6379';
  spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
  const err = await waitFor(() => pingRedis(redisUrl), 15);
  if (err) throw new Error(`started redis-server but cannot connect to ${redactUrl(redisUrl)}: ${err}`);
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^[\w-]+$/.test(name)) throw new Error(`DATABASE_URL names an unusual database "${name}"; create it yourself`);
  const c = new pg.Client({ connectionString: serverUrl(databaseUrl) });
  await c.connect();
  try {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
}
