// The dedicated bench database: never a test's or a user's.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DATABASE_URL = process.env.HZ_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hyperzoo_bench';
export const BENCH_TEAM = 'bench';

/** Drops and recreates the bench database, migrated. */
export async function recreateBenchDatabase(): Promise<void> {
  const url = new URL(BENCH_DATABASE_URL);
  const name = url.pathname.slice(1);
  if (!/^hyperzoo_bench\w*$/.test(name)) throw new Error(`refusing to drop ${name}: the bench database must be named hyperzoo_bench*`);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  execFileSync(path.join(ROOT, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: BENCH_DATABASE_URL }, stdio: 'pipe' });
}

/** p50/p95/max of millisecond samples. */
export function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN).toFixed(2));
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}
