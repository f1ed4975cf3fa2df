// When a long-running process stops: on a signal, or when the parent that started it is gone.
// The second matters for the quickstart: killed without a chance to clean up (SIGKILL, a crash),
// it must not leave the api, worker and web running as orphans.

import type { Socket } from 'node:net';

import { readStopWithParent } from './env';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Calls `stop` once, and only once: on SIGTERM, SIGINT or SIGHUP (a closed terminal), or, when
 * HZ_STOP_WITH_PARENT=1, when stdin reaches end-of-file. The kernel closes a pipe's write end
 * when its last holder exits, however it exits (even SIGKILL), so a parent that keeps our stdin
 * open tells us it is gone without ever sending anything.
 */
export function onShutdown(stop: (reason: string) => void, stopWithParent = readStopWithParent()): void {
  let stopped = false;
  const once = (reason: string) => {
    if (stopped) return;
    stopped = true;
    stop(reason);
  };
  // Handlers stay installed: a second signal (Ctrl-C twice, one passed on by a parent too)
  // must not kill the process half way through its orderly stop.
  for (const signal of SIGNALS) process.on(signal, () => once(signal));
  // With the terminal closed (EIO) or the parent that read our output gone (EPIPE), writing
  // to stdout/stderr fails: that must not crash the shutdown that follows.
  for (const out of [process.stdout, process.stderr]) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
    });
  }
  if (!stopWithParent) return;

  process.stdin.on('data', () => undefined); // nothing is ever sent; reading is what reveals EOF
  process.stdin.once('end', () => once('parent exited'));
  process.stdin.once('error', () => once('parent exited'));
  // Watching must not keep an otherwise finished process alive (a file as stdin has no unref).
  (process.stdin as Partial<Socket>).unref?.();
}
