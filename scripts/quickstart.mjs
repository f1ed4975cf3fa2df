#!/usr/bin/env node
// `npm run quickstart`, step 0: install dependencies with plain Node (nothing else exists yet),
// then hand over to the TypeScript part (scripts/stack.ts) that brings the stack up.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = `${root}/node_modules/.package-lock.json`;
const stale = !existsSync(marker) || statSync(`${root}/package-lock.json`).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.log('[quickstart] installing dependencies (npm ci)...');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, [`${root}/node_modules/tsx/dist/cli.mjs`, `${root}/scripts/stack.ts`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
