// `npm test`: the whole suite (unit, integration against the real Postgres and Redis, browser).
// Integration tests create and drop their own databases (libs/db/src/testing.ts) and use
// random queue prefixes, so the quickstart data is never touched.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { dropAllTestDatabases, testServerUrl } from '@hyperzoo/db/testing';
import { redactUrl } from '@hyperzoo/schemas';

import { pingPostgres, pingRedis } from './lib/services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const redisUrl = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const pgError = await pingPostgres(testServerUrl());
const redisError = await pingRedis(redisUrl);
if (pgError || redisError) {
  if (pgError) console.error(`npm test: Postgres is needed at ${redactUrl(testServerUrl())} (HZ_TEST_PG_URL): ${pgError}`);
  if (redisError) console.error(`npm test: Redis is needed at ${redisUrl} (HZ_TEST_REDIS_URL): ${redisError}`);
  process.exit(1);
}

// Our own tag on every test database, so the clean-up below leaves other checkouts' suites alone.
process.env.HZ_TEST_RUN = randomBytes(4).toString('hex');

const report = path.join(mkdtempSync(path.join(tmpdir(), 'hz-test-')), 'vitest.json');
const run = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
);
await dropAllTestDatabases().catch((err: Error) => console.error(`npm test: could not drop test databases: ${err.message}`));

try {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  // The plain closing line CI reads.
  console.log(`\nhyperzoo: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} catch {
  console.error('npm test: vitest wrote no report');
}
process.exit(run.status ?? 1);
