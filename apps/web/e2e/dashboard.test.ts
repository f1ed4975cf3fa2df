// The dashboard end to end, all real: a fresh Postgres database, the real API server (tRPC over
// HTTP), the production build (scripts/lib/web-build.ts, cached by source hash, as the
// quickstart does) served by `next start` proxying /trpc to it, and Chromium driving the pages.
// Every page must stay free of console errors, hydration warnings and uncaught errors.
// Needs Postgres, Redis and /usr/bin/chromium; fails (never skips) when one is missing.
// HZ_E2E_SCREENSHOTS=<dir> also saves PNGs of the runs page and the run page there.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import type { Prisma } from '@hyperzoo/db';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { runEventsChannel } from '@hyperzoo/queue';
import { ZRunConfig } from '@hyperzoo/schemas';
import type { TRunEvent } from '@hyperzoo/schemas';

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
const REDIS_URL = process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCREENSHOTS = process.env.HZ_E2E_SCREENSHOTS;

const owner = { email: `owner-${randomUUID().slice(0, 8)}@example.test`, name: 'Ada Owner', password: `pw-${randomUUID()}` };
const teamSlug = `web-${randomUUID().slice(0, 8)}`;
const queuePrefix = `test-${randomUUID()}`;

let t: TestDatabase;
let api: ApiServer;
let next: ChildProcess | undefined;
let nextOutput = '';
let browser: Browser;
let webUrl: string;
let finishedRunId: string;
let runningRunId: string;
let publisher: Redis;

/** What the worker does after writing through the API: tell live subscribers (the pages under test) on Redis. */
const publish = (event: TRunEvent) => publisher.publish(runEventsChannel(event.runId, queuePrefix), JSON.stringify(event));

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

async function getFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

async function waitForHttp(url: string, child: ChildProcess, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${nextOutput.slice(-4000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(`next start did not answer at ${url} within ${seconds}s:\n${nextOutput.slice(-4000)}`);
}

async function stopProcessGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!killed) process.kill(-child.pid, 'SIGKILL');
}

const EPOCHS = [
  { epoch: 1, loss: 0.8123, accuracy: 0.7012, valLoss: 0.6021, valAccuracy: 0.7804, durationMs: 12_400, imagesPerSec: 2104.2 },
  { epoch: 2, loss: 0.5231, accuracy: 0.8145, valLoss: 0.5012, valAccuracy: 0.8253, durationMs: 11_900, imagesPerSec: 2190.7 },
  { epoch: 3, loss: 0.4402, accuracy: 0.8456, valLoss: 0.4689, valAccuracy: 0.8391, durationMs: 12_050, imagesPerSec: 2166.1 },
  { epoch: 4, loss: 0.3874, accuracy: 0.8640, valLoss: 0.4805, valAccuracy: 0.8362, durationMs: 12_210, imagesPerSec: 2137.9 },
];

async function seedRuns(db: TestDatabase['db'], teamId: string) {
  const project = await db.project.findFirstOrThrow({ where: { teamId, slug: 'default' }, select: { id: true } });
  const config = ZRunConfig.parse({
    architecture: 'lenet5',
    epochs: 10,
    data: { dataset: 'fashion-mnist', subsetPerClass: 500, validationSize: 0.1 },
    optimizer: { name: 'adam', learningRate: 0.001 },
    earlyStopping: { patience: 1 },
  });
  const started = new Date(Date.now() - 60_000);
  const finished = await db.run.create({
    data: {
      projectId: project.id,
      name: 'lenet5-adam-relu-e2e',
      status: 'succeeded',
      config: config as Prisma.InputJsonValue,
      architecture: 'lenet5',
      dataset: 'fashion-mnist',
      attempt: 1,
      backend: 'wasm',
      device: 'cpu',
      paramCount: 61_706,
      bestEpoch: 3,
      stoppedEpoch: 4,
      testLoss: 0.4712,
      testAccuracy: 0.8377,
      startedAt: started,
      finishedAt: new Date(started.getTime() + 48_560),
      epochs: { create: EPOCHS.map((e) => ({ ...e, lr: 0.001 })) },
    },
    select: { id: true },
  });
  const running = await db.run.create({
    data: {
      projectId: project.id,
      name: 'mlp-sgd-running-e2e',
      status: 'running',
      config: ZRunConfig.parse({ architecture: 'mlp', epochs: 5, optimizer: { name: 'sgd', learningRate: 0.01 } }) as Prisma.InputJsonValue,
      architecture: 'mlp',
      dataset: 'fashion-mnist',
      attempt: 2,
      backend: 'wasm',
      device: 'cpu',
      startedAt: new Date(),
      epochs: { create: [{ epoch: 1, loss: 0.91, accuracy: 0.67, valLoss: 0.72, valAccuracy: 0.74, lr: 0.01, durationMs: 9_000, imagesPerSec: 1800 }] },
    },
    select: { id: true },
  });
  return { finishedRunId: finished.id, runningRunId: running.id };
}

async function logIn(page: Page, password: string): Promise<void> {
  await page.goto(`${webUrl}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The web e2e test needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set HZ_CHROMIUM)`);
  await requireRedis(REDIS_URL);
  publisher = new Redis(REDIS_URL);
  t = await createTestDatabase();
  const team = await createTeamWithOwner(t.db, { slug: teamSlug, name: 'Vision team', owner });
  ({ finishedRunId, runningRunId } = await seedRuns(t.db, team.teamId));
  api = await startApiServer(
    ZApiEnv.parse({ DATABASE_URL: t.url, REDIS_URL, API_PORT: '0', HZ_QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn' }),
  );
  // The build does not depend on API_URL (src/proxy.ts reads it at run time): the quickstart's build serves here too.
  const env = { API_URL: api.url };
  const started = Date.now();
  const build = await ensureWebBuild({ env, log: (line) => (nextOutput += `${line}\n`) });
  console.info(`web e2e: ${build.reused ? 'reused' : 'built'} web build ${build.hash} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const port = await getFreePort();
  webUrl = `http://127.0.0.1:${port}`;
  next = startWebServer(build, { port, hostname: '127.0.0.1', env });
  next.stdout?.on('data', (b: Buffer) => (nextOutput += b.toString()));
  next.stderr?.on('data', (b: Buffer) => (nextOutput += b.toString()));
  await waitForHttp(`${webUrl}/login`, next, 60);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stopProcessGroup(next);
  await api?.close();
  publisher?.disconnect();
  await t?.drop();
});

/** What a page said that a test did not expect: console errors, hydration warnings, uncaught errors. */
let problems: string[] = [];
/** Console errors a test expects (a 401 answer to a wrong password), each allowed once. */
let expectedErrors: RegExp[] = [];

function watchPage(page: Page): void {
  page.on('console', (msg) => {
    const text = msg.text();
    const isProblem = msg.type() === 'error' || (msg.type() === 'warning' && /hydrat/i.test(text));
    if (!isProblem) return;
    const i = expectedErrors.findIndex((re) => re.test(text));
    if (i >= 0) expectedErrors.splice(i, 1);
    else problems.push(`console.${msg.type()} on ${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught on ${page.url()}: ${err.message}`));
}

/**
 * A fresh context and page, watched. The browser's time zone and language differ from the
 * server's on purpose: anything rendered differently on the two sides shows up as a hydration error.
 */
async function openPage(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ timezoneId: 'Pacific/Auckland', locale: 'de-DE', ...options });
  context.on('page', watchPage);
  return { context, page: await context.newPage() };
}

afterEach(() => {
  const found = problems;
  problems = [];
  expectedErrors = [];
  expect(found, found.join('\n')).toEqual([]);
});

describe('dashboard in Chromium', () => {
  it('refuses a wrong password with a message and stays on /login', async () => {
    const { page } = await openPage();
    // The API answers a wrong password with 401, which Chromium reports on the console.
    expectedErrors.push(/status of 401/);
    await logIn(page, 'not-the-password');
    // Inside the form: Next's route announcer is an (empty) alert too.
    const alert = page.getByRole('form', { name: 'Log in' }).getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'login-error.png');
    await page.context().close();
  });

  it('logs in, lists the runs (live while one runs), and shows a run with its epochs and charts', async () => {
    const { context, page } = await openPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, owner.password);
    await page.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`), { timeout: 20_000 });
    // Loaded from the server too, not only reached client-side: that is where hydration can go wrong.
    await page.reload();

    const runs = page.getByRole('table', { name: 'Runs' });
    const finishedRow = runs.locator(`tr[data-run-id="${finishedRunId}"]`);
    await finishedRow.waitFor({ timeout: 15_000 });
    const cells = await finishedRow.locator('td').allTextContents();
    expect(cells[0]).toContain('lenet5-adam-relu-e2e');
    expect(cells.slice(1)).toEqual(['lenet5', 'succeeded', '1', '3', '83.77%', 'wasm', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)]);
    const runningBadge = runs.locator(`tr[data-run-id="${runningRunId}"] [data-status]`);
    expect(await runningBadge.textContent()).toBe('running');
    expect(await page.locator('.live').textContent()).toContain('1 active');
    await page.locator('header').getByText(owner.email).waitFor();
    await screenshot(page, 'runs.png');

    // The list subscribes to the team's runs: a status change shows up without a reload (and without polling).
    await t.db.run.update({ where: { id: runningRunId }, data: { status: 'failed', error: 'trainer exited with code 1', finishedAt: new Date() } });
    await publish({ type: 'status', runId: runningRunId, attempt: 2, status: 'failed' });
    await runs.locator(`tr[data-run-id="${runningRunId}"] [data-status="failed"]`).waitFor({ timeout: 15_000 });

    await finishedRow.getByRole('link', { name: 'lenet5-adam-relu-e2e' }).click();
    await page.waitForURL(new RegExp(`/runs/${finishedRunId}`), { timeout: 20_000 });
    await page.getByRole('heading', { name: 'lenet5-adam-relu-e2e' }).waitFor({ timeout: 15_000 });
    await page.reload();
    await page.getByRole('heading', { name: 'lenet5-adam-relu-e2e' }).waitFor({ timeout: 15_000 });

    const epochRows = page.getByRole('table', { name: 'Epochs' }).locator('tbody tr');
    await epochRows.first().waitFor();
    expect(await epochRows.count()).toBe(EPOCHS.length);
    const third = await epochRows.nth(2).locator('td').allTextContents();
    // epoch (best), loss, accuracy, val_loss, val_accuracy, lr, duration, images/s
    expect(third).toEqual(['3best', '0.4402', '84.56%', '0.4689', '83.91%', '1e-3', '12.1 s', '2,166']);
    expect(await epochRows.nth(3).locator('td').first().textContent()).toBe('4stopped');

    for (const title of ['Loss', 'Accuracy']) {
      const chart = page.getByRole('figure', { name: `${title} by epoch` });
      await chart.locator('svg.recharts-surface').first().waitFor({ timeout: 15_000 });
      // One curve for training, one for validation, each through every epoch.
      await expect.poll(() => chart.locator('.recharts-line-curve').count()).toBe(2);
      await expect.poll(() => chart.locator('.recharts-line-dot').count()).toBe(2 * EPOCHS.length);
    }
    const config = await page.locator('dl.config').textContent();
    expect(config).toContain('adam, lr 1e-3');
    expect(config).toContain('val_loss, patience 1');
    expect(await page.locator('.fact', { hasText: 'Parameters' }).textContent()).toContain('61,706');
    await screenshot(page, 'run.png');

    await page.getByRole('link', { name: '← Runs' }).click();
    await page.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`));
    await context.close();
  });

  it("follows a running run's page live, and its Cancel button flags the run", async () => {
    const project = await t.db.project.findFirstOrThrow({ where: { team: { slug: teamSlug }, slug: 'default' }, select: { id: true } });
    const live = await t.db.run.create({
      data: {
        projectId: project.id,
        name: 'resnet-live-e2e',
        status: 'running',
        config: ZRunConfig.parse({ architecture: 'resnet', epochs: 3, width: 0.25, depth: [1, 1] }) as Prisma.InputJsonValue,
        architecture: 'resnet',
        dataset: 'fashion-mnist',
        attempt: 1,
        startedAt: new Date(),
        epochs: { create: [{ epoch: 1, loss: 1.2, accuracy: 0.55, valLoss: 1.0, valAccuracy: 0.61, lr: 0.001, durationMs: 30_000, imagesPerSec: 300 }] },
      },
      select: { id: true },
    });
    const { context, page } = await openPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, owner.password);
    await page.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`), { timeout: 20_000 });
    await page.goto(`${webUrl}/runs/${live.id}?team=${teamSlug}`);
    const epochRows = page.getByRole('table', { name: 'Epochs' }).locator('tbody tr');
    await epochRows.first().waitFor({ timeout: 15_000 });
    expect(await epochRows.count()).toBe(1);
    // The page's subscription is open (SSE through the Next proxy to the API).
    await page.locator('h1 ~ .live').waitFor({ timeout: 15_000 });

    // A new epoch lands in the database and the worker announces it: the page shows it without a reload.
    await t.db.epochMetric.create({
      data: { runId: live.id, epoch: 2, loss: 0.9, accuracy: 0.66, valLoss: 0.85, valAccuracy: 0.69, lr: 0.001, durationMs: 29_000, imagesPerSec: 310 },
    });
    // Nothing polls: until the event, the page keeps its one epoch.
    await sleep(3_000);
    expect(await epochRows.count()).toBe(1);
    const metric = { epoch: 2, phase: 'train' as const, loss: 0.9, accuracy: 0.66, val_loss: 0.85, val_accuracy: 0.69, lr: 0.001, duration_ms: 29_000, images_per_sec: 310 };
    await publish({ type: 'epoch', runId: live.id, attempt: 1, metric });
    await expect.poll(() => epochRows.count(), { timeout: 15_000, interval: 500 }).toBe(2);
    await screenshot(page, 'run-live.png');

    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(async () => (await t.db.run.findUniqueOrThrow({ where: { id: live.id } })).cancelRequestedAt, { timeout: 10_000 }).not.toBeNull();

    // The worker would now stop it; when it reports, the page settles on the final status.
    await t.db.run.update({ where: { id: live.id }, data: { status: 'cancelled', finishedAt: new Date(), stoppedEpoch: 2 } });
    await publish({ type: 'status', runId: live.id, attempt: 1, status: 'cancelled' });
    await page.locator('h1 + [data-status="cancelled"]').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await context.close();
  });

  it('logs out: the session cookie is gone and the dashboard sends back to /login', async () => {
    const { context, page } = await openPage();
    await logIn(page, owner.password);
    await page.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`), { timeout: 20_000 });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/, { timeout: 15_000 });
    expect((await context.cookies()).some((c) => c.name === 'hz_session')).toBe(false);
    await page.goto(`${webUrl}/teams/${teamSlug}/runs`);
    await page.waitForURL(/\/login\?next=/);
    await context.close();
  });

  it('sends security headers and never follows ?next= off the site', async () => {
    const res = await fetch(`${webUrl}/login`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const { context, page } = await openPage();
    for (const next of ['/%5C127.0.0.1:9/b', '/%09/127.0.0.1:9/c']) {
      await page.goto(`${webUrl}/login?next=${next}`);
      await page.getByLabel('Email').fill(owner.email);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
      expect(new URL(page.url()).host).toBe(new URL(webUrl).host);
    }
    await context.close();
  });
});
