#!/usr/bin/env node
// `npm run quickstart`, step 0: install dependencies with plain Node (nothing else exists yet),
// then hand over to the TypeScript part (scripts/stack.ts) that brings the stack up.
import { spawn, spawnSync } from 'node:child_process';
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
// stack.ts stops when we are gone (we hold its stdin, HZ_STOP_WITH_PARENT); signals sent to us
// alone are passed on, and we wait for its orderly stop.
const child = spawn(process.execPath, ['--import', 'tsx', `${root}/scripts/stack.ts`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['pipe', 'inherit', 'inherit'],
  env: { ...process.env, HZ_STOP_WITH_PARENT: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined); // a closed terminal
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
