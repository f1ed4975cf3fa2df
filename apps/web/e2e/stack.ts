// The whole stack for the browser tests and bench/web-pages.ts, all real: a fresh Postgres database, the real API server
// (tRPC over HTTP), the production build (scripts/lib/web-build.ts, cached by source hash, as the
// quickstart does) served by `next start` proxying /trpc to it, and Chromium driving the pages.
// Needs Postgres, Redis and /usr/bin/chromium; fails (never skips) when one is missing.
// HZ_E2E_SCREENSHOTS=<dir> also saves PNGs of the pages there.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { freePort } from '@hyperzoo/lifecycle';

/* eslint-disable @nx/enforce-module-boundaries */
// The quickstart's build cache (scripts/ is no nx project): one cached build serves both.
import { ensureWebBuild, startWebServer } from '../../../scripts/lib/web-build';
// The one app-to-app import in the repo: this whole-stack test starts the real API in-process.
// TODO: spawn apps/api as a process (as Next is spawned below) and drop this exception.
import { ZApiEnv } from '../../api/src/env';
import { startApiServer } from '../../api/src/server';
import type { ApiServer } from '../../api/src/server';
/* eslint-enable @nx/enforce-module-boundaries */

const CHROMIUM = process.env.HZ_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCREENSHOTS = process.env.HZ_E2E_SCREENSHOTS;

async function requireRedis(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(`The web e2e test needs Redis at ${url} (HZ_TEST_REDIS_URL): ${(err as Error).message}`);
  } finally {
    r.disconnect();
  }
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output().slice(-4000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(`next start did not answer at ${url} within ${seconds}s:\n${output().slice(-4000)}`);
}

async function stopProcessGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!killed) process.kill(-child.pid, 'SIGKILL');
}

export interface TStack {
  t: TestDatabase;
  webUrl: string;
  /** The API itself (for a worker process; the browser goes through the web server). */
  apiUrl: string;
  browser: Browser;
  close: () => Promise<void>;
}

/** Database, API, web server and browser; `seed` runs on the fresh database before the servers start. */
export async function startStack(seed: (t: TestDatabase) => Promise<void>, opts: { queuePrefix?: string; apiEnv?: Record<string, string> } = {}): Promise<TStack> {
  if (!existsSync(CHROMIUM)) throw new Error(`The web e2e test needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set HZ_CHROMIUM)`);
  await requireRedis(REDIS_URL);
  const t = await createTestDatabase();
  let api: ApiServer | undefined;
  let next: ChildProcess | undefined;
  let browser: Browser | undefined;
  let nextOutput = '';
  const close = async () => {
    await browser?.close();
    await stopProcessGroup(next);
    await api?.close();
    await t.drop();
  };
  try {
    await seed(t);
    api = await startApiServer(
      ZApiEnv.parse({ DATABASE_URL: t.url, REDIS_URL, API_PORT: '0', HZ_QUEUE_PREFIX: opts.queuePrefix ?? `test-${randomUUID()}`, LOG_LEVEL: 'warn', ...opts.apiEnv }),
    );
    // The build does not depend on API_URL (src/proxy.ts reads it at run time): the quickstart's build serves here too.
    const env = { API_URL: api.url };
    const started = Date.now();
    const build = await ensureWebBuild({ env, log: (line) => (nextOutput += `${line}\n`) });
    console.info(`web e2e: ${build.reused ? 'reused' : 'built'} web build ${build.hash} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const port = await freePort();
    const webUrl = `http://127.0.0.1:${port}`;
    next = startWebServer(build, { port, hostname: '127.0.0.1', env });
    next.stdout?.on('data', (b: Buffer) => (nextOutput += b.toString()));
    next.stderr?.on('data', (b: Buffer) => (nextOutput += b.toString()));
    await waitForHttp(`${webUrl}/login`, next, () => nextOutput, 60);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    return { t, webUrl, apiUrl: api.url, browser, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A fresh context and page, watched. The browser's time zone and language differ from the
 * server's on purpose: anything rendered differently on the two sides shows up as a hydration error.
 */
export async function openContextPage(
  browser: Browser,
  options: BrowserContextOptions = {},
  watch?: (page: Page) => void,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ timezoneId: 'Pacific/Auckland', locale: 'de-DE', ...options });
  if (watch) context.on('page', watch);
  return { context, page: await context.newPage() };
}

/** Logs in from the home page (which sends to /login). */
export async function logIn(page: Page, webUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${webUrl}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}
