import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./testing/shutdown-child.ts', import.meta.url));
const started: number[] = [];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return true;
  return check();
}

/** The fixture, with a pipe as stdin held by this test process. */
function startFixture(env: Record<string, string>): { child: ChildProcess; out: string; ready: Promise<void> } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'hz-lifecycle-')), 'reason');
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, FIXTURE_OUT: out, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(child.pid as number);
  const ready = new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  return { child, out, ready };
}

afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

describe('onShutdown', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('stops once on %s', async (signal) => {
    const { child, out, ready } = startFixture({});
    await ready;
    child.kill(signal);
    expect(await waitFor(() => existsSync(out), 10_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(signal);
  });

  it('finishes its stop when signalled again meanwhile', async () => {
    const { child, out, ready } = startFixture({});
    await ready;
    child.kill('SIGINT');
    await sleep(50);
    child.kill('SIGINT'); // without a handler any more, this would kill it before it wrote its reason
    child.kill('SIGTERM');
    expect(await waitFor(() => existsSync(out), 10_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('SIGINT');
  });

  it('with HZ_STOP_WITH_PARENT=1, stops when stdin closes', async () => {
    const { child, out, ready } = startFixture({ HZ_STOP_WITH_PARENT: '1' });
    await ready;
    child.stdin?.end();
    expect(await waitFor(() => existsSync(out), 10_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('parent exited');
  });

  it('without it, a closed stdin means nothing', async () => {
    const { child, out, ready } = startFixture({});
    await ready;
    child.stdin?.end();
    await sleep(1_500);
    expect(isAlive(child.pid as number)).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('stops, writing to its dead parent’s pipe without crashing, when that parent is SIGKILLed', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'hz-lifecycle-')), 'reason');
    // A parent that starts the fixture (stdin and stdout pipes it holds), says its pid, then waits.
    const parentCode = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(FIXTURE)}], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
      c.stdout.once('data', () => console.log(c.pid));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentCode], { env: { ...process.env, FIXTURE_OUT: out, HZ_STOP_WITH_PARENT: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(parent.pid as number);
    const childPid = Number(await new Promise<string>((resolve) => parent.stdout?.once('data', (b: Buffer) => resolve(b.toString()))));
    started.push(childPid);
    expect(isAlive(childPid)).toBe(true);

    parent.kill('SIGKILL');
    expect(await waitFor(() => !isAlive(childPid), 10_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('parent exited');
  });
});
