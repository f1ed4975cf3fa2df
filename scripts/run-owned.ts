// Runs a program that is not ours (`next build`, `next start`) so that it stops with us: in its
// own process group, stopped as a whole on SIGTERM/SIGINT/SIGHUP or when our parent is gone
// (HZ_STOP_WITH_PARENT=1, libs/lifecycle). Usage: run-owned.ts <command> [args...]
import { spawn } from 'node:child_process';

import { onShutdown } from '@hyperzoo/lifecycle';

const STOP_GRACE_MS = 10_000;

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: run-owned.ts <command> [args...]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
const group = -(child.pid ?? 0);
const killGroup = (signal: NodeJS.Signals) => {
  try {
    process.kill(group, signal);
  } catch {
    /* already gone */
  }
};
let stopping = false;

child.on('error', (err) => {
  console.error(`run-owned: ${command}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code) => {
  killGroup('SIGKILL'); // helpers it left behind (next build's workers)
  process.exit(stopping ? 0 : (code ?? 1));
});
onShutdown(() => {
  stopping = true;
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS).unref();
});
