// The dashboard end to end (e2e/harness.ts: real database, API, Next production build and Chromium):
// log in, the runs list, a run page live, cancel, log out, security headers.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import type { Prisma } from '@hyperzoo/db';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { runEventsChannel } from '@hyperzoo/queue';
import { ZRunConfig } from '@hyperzoo/schemas';
import type { TRunEvent } from '@hyperzoo/schemas';

import { expectConsoleError, failOnPageProblems, openPage as openStackPage } from './harness';
import { logIn as logInAs, REDIS_URL, screenshot, startStack } from './stack';
import type { TStack } from './stack';

const owner = { email: `owner-${randomUUID().slice(0, 8)}@example.test`, name: 'Ada Owner', password: `pw-${randomUUID()}` };
const teamSlug = `web-${randomUUID().slice(0, 8)}`;
const queuePrefix = `test-${randomUUID()}`;

let stack: TStack;
let t: TestDatabase;
let webUrl: string;
let finishedRunId: string;
let runningRunId: string;
let publisher: Redis;

/** What the worker does after writing through the API: tell live subscribers (the pages under test) on Redis. */
const publish = (event: TRunEvent) => publisher.publish(runEventsChannel(event.runId, queuePrefix), JSON.stringify(event));

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
  await logInAs(page, webUrl, owner.email, password);
}

function openPage(options?: BrowserContextOptions) {
  return openStackPage(stack.browser, options);
}

beforeAll(async () => {
  publisher = new Redis(REDIS_URL);
  stack = await startStack(async (db) => {
    const team = await createTeamWithOwner(db.db, { slug: teamSlug, name: 'Vision team', owner });
    ({ finishedRunId, runningRunId } = await seedRuns(db.db, team.teamId));
  }, { queuePrefix });
  ({ t, webUrl } = stack);
}, 420_000);

afterAll(async () => {
  await stack?.close();
  publisher?.disconnect();
});

failOnPageProblems();

describe('dashboard in Chromium', () => {
  it('refuses a wrong password with a message and stays on /login', async () => {
    const { page } = await openPage();
    // The API answers a wrong password with 401, which Chromium reports on the console.
    expectConsoleError(/status of 401/);
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
    expect(cells.slice(1)).toEqual(['lenet5', 'succeeded', '1', '3', '83.77%', 'wasm', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/), 'default']);
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
    const config = await page.locator('dl[aria-label="Configuration"]').textContent();
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
