import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import pg from 'pg';

import { createDb } from './client';
import type { DbClient } from './client';
import { startTcpProxy } from './tcp-proxy';

export type { TcpProxy } from './tcp-proxy';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIGRATIONS = path.join(ROOT, 'prisma/migrations');

/** Server URL for tests: HZ_TEST_PG_URL, else the local trust-auth server. */
export function testServerUrl(): string {
  return process.env.HZ_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** A TCP proxy in front of the test server, for fault tests: `proxy.via(url)` connects through it. */
export function startPostgresProxy() {
  const u = new URL(testServerUrl());
  return startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`Tests need PostgreSQL at ${testServerUrl()} (set HZ_TEST_PG_URL): ${(err as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The migrated template database for this exact set of migrations (created once, under a lock). */
async function ensureTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of readdirSync(MIGRATIONS).sort()) {
    if (dir.endsWith('.toml')) continue;
    hash.update(dir).update(readFileSync(path.join(MIGRATIONS, dir, 'migration.sql')));
  }
  const name = `hz_test_template_${hash.digest('hex').slice(0, 12)}`;
  await admin(async (c) => {
    await c.query('SELECT pg_advisory_lock(424242)');
    try {
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      await c.query(`CREATE DATABASE "${name}_tmp"`);
      execFileSync(path.join(ROOT, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: withDatabase(testServerUrl(), `${name}_tmp`) },
        stdio: 'pipe',
      });
      await c.query(`ALTER DATABASE "${name}_tmp" RENAME TO "${name}"`);
    } finally {
      await c.query(`DROP DATABASE IF EXISTS "${name}_tmp"`).catch(() => undefined);
      await c.query('SELECT pg_advisory_unlock(424242)');
    }
  });
  return name;
}

export interface TestDatabase {
  url: string;
  db: DbClient;
  drop(): Promise<void>;
}

/**
 * `npm test` sets HZ_TEST_RUN to its own id so that its clean-up drops only the databases of
 * this run: suites of two checkouts can then share one Postgres.
 */
const runTag = () => (process.env.HZ_TEST_RUN ?? 'x').replace(/[^a-z0-9]/g, '').slice(0, 8) || 'x';

/** A fresh, migrated database for one test file; drop() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `hz_test_${runTag()}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = withDatabase(testServerUrl(), name);
  const db = createDb(url, { poolSize: 5 });
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Drops the databases this test run left (HZ_TEST_RUN); templates stay for the next run. */
export async function dropAllTestDatabases(): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`hz\\_test\\_${runTag()}\\_%`]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    return rows.length;
  });
}
