// Sweeps in Chromium against the whole stack (e2e/stack.ts) plus a real worker process training
// tiny MLPs on wasm: create a sweep from the form and from YAML, watch it finish live, add a run, pause and
// resume, and a viewer who sees no controls.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import { seedTeam } from '@hyperzoo/api-routers/testing';

import { expectConsoleError, failOnPageProblems, openPage } from './harness';
import { logIn, REDIS_URL, screenshot, startStack } from './stack';
import type { TStack } from './stack';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const queuePrefix = `test-${randomUUID()}`;
const viewer = { email: `viewer-${randomUUID().slice(0, 8)}@example.test`, name: 'Vic Viewer', password: `pw-${randomUUID()}` };
/** Training is real: generous, never asserted as a duration. */
const SWEEP_TIMEOUT_MS = 480_000;

let stack: TStack;
let seed: Awaited<ReturnType<typeof seedTeam>>;
let worker: ChildProcess | undefined;
let workerOutput = '';
const artifactDir = mkdtempSync(path.join(tmpdir(), 'hz-web-sweeps-'));

/** The worker as deployed (apps/worker/src/main.ts), wasm backend, one process. */
function startWorker(apiUrl: string, token: string): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL,
      API_URL: apiUrl,
      HZ_WORKER_TOKEN: token,
      HZ_QUEUE_PREFIX: queuePrefix,
      HZ_WORKER_NAME: 'web-e2e',
      TFJS_BACKEND: 'wasm',
      HZ_ARTIFACT_DIR: artifactDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (b: Buffer) => (workerOutput += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (workerOutput += b.toString()));
  return proc;
}

beforeAll(async () => {
  stack = await startStack(
    async ({ db }) => {
      seed = await seedTeam(db, `sw-${randomUUID().slice(0, 8)}`);
      const { userId } = await createTeamWithOwner(db, { slug: `own-${randomUUID().slice(0, 8)}`, name: 'Viewer team', owner: viewer });
      await db.membership.create({ data: { teamId: seed.teamId, userId, role: 'viewer' } });
    },
    { queuePrefix },
  );
  worker = startWorker(stack.apiUrl, seed.workerToken);
}, 420_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker?.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }
  await stack?.close();
  rmSync(artifactDir, { recursive: true, force: true });
});

failOnPageProblems();

const sweepsUrl = () => `${stack.webUrl}/teams/${seed.teamSlug}/sweeps`;

async function logInOwner(page: Page) {
  await logIn(page, stack.webUrl, seed.email, seed.password);
  await page.waitForURL(/\/runs$/, { timeout: 30_000 });
}

/** Waits for the sweep page to show `status` without a reload: a marker set on the window must survive. */
async function waitLive(page: Page, status: string) {
  await page.locator(`.page-title [data-sweep-status="${status}"]`).waitFor({ timeout: SWEEP_TIMEOUT_MS }).catch(async (err: unknown) => {
    throw new Error(`${(err as Error).message}\n${await describeSweepPage(page)}\n--- worker\n${workerOutput.slice(-3000)}`);
  });
}

/** What the page shows and what the database holds, for a wait that timed out. */
async function describeSweepPage(page: Page): Promise<string> {
  const shown = await page.locator('.page-title [data-sweep-status]').getAttribute('data-sweep-status', { timeout: 1_000 }).catch(() => null);
  const errors = await page.locator('.form-error, .error-box').allTextContents();
  const sweepId = /\/sweeps\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  const sweep = sweepId
    ? await stack.t.db.sweep.findUnique({ where: { id: sweepId }, select: { status: true, runs: { select: { status: true, attempt: true, sweepPosition: true } } } })
    : null;
  return `--- page shows ${shown ?? 'no status'}; errors: ${JSON.stringify(errors)}\n--- database: ${JSON.stringify(sweep)}`;
}

async function markWindow(page: Page) {
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}
const isSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

describe('sweeps in Chromium', () => {
  it('creates a sweep of tiny runs from the form, watches it finish live and adds a run', { timeout: 600_000 }, async () => {
    const { page } = await openPage(stack.browser, { viewport: { width: 1280, height: 1000 } });
    await logInOwner(page);
    await page.goto(sweepsUrl());
    await expect.poll(() => page.locator('.empty').textContent()).toContain('No sweeps');
    await screenshot(page, 'sweeps-empty.png');

    await page.getByRole('link', { name: 'New sweep' }).click();
    await page.waitForURL(/\/sweeps\/new/);
    const form = page.getByRole('form', { name: 'New sweep' });
    // The states typed on the way (max concurrent 0, a parameter without a value yet) are invalid
    // on purpose: sweeps.preview answers them as data, so the console stays clean.
    await form.getByLabel('Name').fill('form-grid');
    await form.getByRole('checkbox', { name: 'mlp' }).check();
    await form.getByRole('checkbox', { name: 'lenet5' }).uncheck();
    await form.getByLabel('Images per class').fill('10');
    // Checked as you type, with the API's message at the field it concerns.
    await form.getByLabel('Max concurrent').fill('0');
    const concurrentIssue = form.locator('[data-field="maxConcurrent"] .field-issues');
    await expect.poll(() => concurrentIssue.textContent(), { timeout: 30_000 }).toMatch(/>=\s*1|at least 1|too small/i);
    await expect.poll(() => form.getByLabel('Max concurrent').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Max concurrent').fill('2');
    await expect.poll(() => concurrentIssue.count(), { timeout: 30_000 }).toBe(0);
    // TPE's own options come with TPE, checked as you type, and go to YAML and back; grid drops them.
    await form.locator('[data-field="method"] select').selectOption('tpe');
    const startupIssue = form.locator('[data-field="tpe.startupTrials"] .field-issues');
    await form.getByLabel('Startup trials').fill('0');
    await expect.poll(() => startupIssue.textContent(), { timeout: 30_000 }).toMatch(/>=\s*1|at least 1|too small/i);
    await screenshot(page, 'sweep-new-tpe-invalid.png');
    await form.getByLabel('Startup trials').fill('3');
    await expect.poll(() => startupIssue.count(), { timeout: 30_000 }).toBe(0);
    await form.getByRole('button', { name: 'YAML' }).click();
    expect(await form.getByLabel('Sweep spec (YAML)').inputValue()).toContain('tpe:\n  startupTrials: 3\n');
    await form.getByRole('button', { name: 'Form' }).click();
    expect(await form.getByLabel('Startup trials').inputValue()).toBe('3');
    await form.locator('[data-field="method"] select').selectOption('grid');
    expect(await form.getByLabel('Startup trials').count()).toBe(0);
    // epochs: 10 -> 1; a batch size row added by its path.
    await form.locator('[data-parameter="epochs"] input').first().fill('1');
    await form.getByLabel('Add parameter').fill('batchSize');
    await form.getByLabel('Add parameter').press('Enter');
    await form.locator('[data-parameter="batchSize"] select').selectOption('fixed');
    await form.locator('[data-parameter="batchSize"] input').first().fill('16');
    await expect.poll(() => page.getByTestId('preview-runs').textContent(), { timeout: 30_000 }).toBe('2');
    const launch = form.getByRole('button', { name: 'Launch 2 runs' });
    await launch.waitFor();
    await screenshot(page, 'sweep-new-form.png');
    // A double click makes one sweep (the button and the idempotency key both see to it).
    await launch.dblclick();
    await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const sweeps = await stack.t.db.sweep.findMany({ where: { name: 'form-grid' }, select: { id: true } });
    expect(sweeps).toHaveLength(1);

    await page.locator('table[aria-label="Sweep runs"] tbody tr[data-run-id]').first().waitFor({ timeout: 30_000 });
    await markWindow(page);
    await waitLive(page, 'finished');
    expect(await isSameDocument(page)).toBe(true);
    await expect.poll(() => page.getByTestId('sweep-progress-text').textContent()).toBe('2 of 2 ended');
    await expect.poll(() => page.locator('tr[data-run-id] [data-status="succeeded"]').count()).toBe(2);
    await page.locator('.best-list li').first().waitFor();
    // The best runs name only what tells them apart, not the epochs every run shares.
    expect(await page.locator('.best-list').textContent()).not.toContain('epochs=');
    await page.locator('[data-testid="parallel-coordinates"] canvas').waitFor();
    await screenshot(page, 'sweep-finished.png');

    // A member adds a run from the keyboard: the finished grid goes on (a further repeat, a new seed) and finishes again.
    await page.getByLabel('Runs to add').fill('1');
    await page.getByLabel('Runs to add').press('Enter');
    await expect.poll(() => page.getByTestId('sweep-progress-text').textContent(), { timeout: SWEEP_TIMEOUT_MS }).toBe('3 of 3 ended');
    await waitLive(page, 'finished');
    expect(await isSameDocument(page)).toBe(true);
    await expect.poll(() => page.locator('tr[data-run-id] [data-status="succeeded"]').count()).toBe(3);

    // Sort and filter live in the address.
    await page.getByRole('button', { name: /^Epochs/ }).click();
    await page.getByLabel('Filter', { exact: true }).fill('mlp');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('epochs:desc');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('mlp');

    // The sweep's own overfitting view: its three runs, grouped by architecture.
    await page.getByRole('link', { name: 'Overfitting view' }).click();
    await page.waitForURL(/\/overfitting\?sweep=[0-9a-f-]{36}$/);
    const mlpRow = page.locator('table[aria-label="Groups"] tbody tr', { hasText: 'mlp' });
    // The group's name is the row's header cell; its first data cell counts the runs.
    await expect.poll(() => mlpRow.locator('td').first().textContent(), { timeout: 60_000 }).toBe('3');
    await page.getByRole('link', { name: 'form-grid', exact: true }).waitFor();
    await screenshot(page, 'sweep-overfitting.png');

    await page.goto(sweepsUrl());
    await page.locator('tr[data-sweep-id]').first().waitFor();
    expect(await page.locator('tr[data-sweep-id] [data-sweep-status="finished"]').count()).toBe(1);
    await screenshot(page, 'sweeps-list.png');
  });

  it('creates a sweep from YAML, round-trips it through the form, pauses and resumes it', { timeout: 600_000 }, async () => {
    const { page } = await openPage(stack.browser, { viewport: { width: 1280, height: 1000 } });
    await logInOwner(page);
    await page.goto(`${sweepsUrl()}/new`);
    const form = page.getByRole('form', { name: 'New sweep' });
    await form.getByRole('button', { name: 'YAML' }).click();
    const yaml = form.getByLabel('Sweep spec (YAML)');
    // A syntax error names its line.
    await yaml.fill('name: yaml-grid\narchitectures: [mlp\nmethod: grid\n');
    await expect.poll(() => page.locator('#yaml-issues').textContent()).toMatch(/line \d+/);
    // A spec the API refuses: its issue names the line and the path.
    await yaml.fill('name: yaml-grid\narchitectures: [mlp]\nmethod: grid\nmetric: { name: val_f1 }\n');
    await expect.poll(() => page.locator('#yaml-issues').textContent(), { timeout: 30_000 }).toMatch(/line 4, metric\.name: /);
    await yaml.fill(
      [
        'name: yaml-grid',
        'architectures: [mlp]',
        'dataset: { dataset: fashion-mnist, subsetPerClass: 10, validationSize: 0.2, testPerClass: 5 }',
        'method: grid',
        'metric: { name: val_accuracy }',
        'parameters:',
        '  activation: { values: [relu, sigmoid] }',
        '  epochs: { value: 2 }',
        '  batchSize: { value: 16 }',
        'maxConcurrent: 1',
        '',
      ].join('\n'),
    );
    await expect.poll(() => page.getByRole('region', { name: 'Preview' }).textContent(), { timeout: 30_000 }).toContain('Per architecture: mlp 2');
    // YAML -> form -> YAML keeps the spec.
    await form.getByRole('button', { name: 'Form' }).click();
    expect(await form.getByLabel('Name').inputValue()).toBe('yaml-grid');
    expect(await form.locator('[data-parameter="activation"] input').first().inputValue()).toBe('relu, sigmoid');
    await form.getByRole('button', { name: 'YAML' }).click();
    expect(await yaml.inputValue()).toContain('testPerClass: 5');
    await form.getByRole('button', { name: 'Launch 2 runs' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'sweep-new-yaml.png');
    // The worker is frozen until the sweep is paused: a warm trainer ends both tiny runs before a
    // click on Pause could land, and a finished sweep cannot be paused.
    worker?.kill('SIGSTOP');
    try {
      await form.getByRole('button', { name: 'Launch 2 runs' }).click();
      await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      await markWindow(page);
      await page.getByRole('button', { name: 'Pause' }).click();
      await waitLive(page, 'paused');
    } finally {
      worker?.kill('SIGCONT');
    }
    await screenshot(page, 'sweep-paused.png');
    // A paused sweep does not finish, even when its runs have all ended (tiny runs are that quick).
    const sweepId = /\/sweeps\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect((await stack.t.db.sweep.findUniqueOrThrow({ where: { id: sweepId } })).status).toBe('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    // A warm trainer ends a run in well under a second, so "running" may never be drawn.
    await waitLive(page, 'finished');
    expect(await stack.t.db.run.count({ where: { sweepId, status: 'succeeded' } })).toBe(2);
    expect(await isSameDocument(page)).toBe(true);
    await expect.poll(() => page.getByTestId('sweep-progress-text').textContent()).toBe('2 of 2 ended');
  });

  it('shows the rung that cut a pruned run, and its cut-off', { timeout: 600_000 }, async () => {
    const { page } = await openPage(stack.browser, { viewport: { width: 1280, height: 1000 } });
    await logInOwner(page);
    await page.goto(`${sweepsUrl()}/new`);
    const form = page.getByRole('form', { name: 'New sweep' });
    await form.getByRole('button', { name: 'YAML' }).click();
    // One at a time, the same seed: the run with a learning rate of 1e-7 reaches the rung at epoch 1 with the
    // untrained loss, worse than the first run's after an epoch of training, and eta 2 keeps only the best.
    await form.getByLabel('Sweep spec (YAML)').fill(
      [
        'name: pruned-grid',
        'architectures: [mlp]',
        'dataset: { dataset: fashion-mnist, subsetPerClass: 20, validationSize: 0.2 }',
        'method: grid',
        'metric: { name: val_loss, goal: minimize }',
        'parameters:',
        '  optimizer.learningRate: { values: [0.01, 0.0000001] }',
        '  epochs: { value: 2 }',
        '  batchSize: { value: 16 }',
        'maxConcurrent: 1',
        'earlyTermination: { type: hyperband, minEpochs: 1, eta: 2 }',
        '',
      ].join('\n'),
    );
    const launch = form.getByRole('button', { name: 'Launch 2 runs' });
    await launch.waitFor({ timeout: 30_000 });
    await launch.click();
    await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await waitLive(page, 'finished');
    const pruned = page.locator('tr[data-run-id]', { has: page.locator('[data-status="pruned"]') });
    await expect.poll(() => pruned.count()).toBe(1);
    await expect.poll(() => pruned.getByTestId('pruned-rung').textContent()).toMatch(/^\s*at rung 1 \(epoch 1\), cut-off \d+\.\d{4}$/);
    await screenshot(page, 'sweep-pruned.png');
  });

  it('shows a viewer the sweeps without any control that changes them', async () => {
    const sweep = await stack.t.db.sweep.findFirstOrThrow({ where: { name: 'form-grid' }, select: { id: true } });
    const { page } = await openPage(stack.browser);
    await logIn(page, stack.webUrl, viewer.email, viewer.password);
    await page.waitForURL(/\/runs$/, { timeout: 30_000 });
    await page.goto(sweepsUrl());
    await page.locator('tr[data-sweep-id]').first().waitFor();
    // The role is known once the header shows who is signed in (the same auth.me answer).
    await page.locator('.user', { hasText: viewer.email }).waitFor();
    expect(await page.getByRole('link', { name: 'New sweep' }).count()).toBe(0);
    await page.goto(`${sweepsUrl()}/${sweep.id}`);
    await page.locator('table[aria-label="Sweep runs"] tbody tr[data-run-id]').first().waitFor();
    await page.locator('.user', { hasText: viewer.email }).waitFor();
    expect(await page.getByRole('group', { name: 'Sweep controls' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Pause|Resume|Cancel|Rerun|Add runs/ }).count()).toBe(0);
    expect(await page.getByLabel('Runs to add').count()).toBe(0);
    await screenshot(page, 'sweep-viewer.png');
  });

  it('answers "not found" for a sweep of another team', async () => {
    const { page } = await openPage(stack.browser);
    await logIn(page, stack.webUrl, viewer.email, viewer.password);
    await page.waitForURL(/\/runs$/, { timeout: 30_000 });
    // sweeps.get, sweeps.summary and analysis.sweep each answer 404, which Chromium logs.
    for (let i = 0; i < 3; i++) expectConsoleError(/404/);
    await page.goto(`${sweepsUrl()}/${randomUUID()}`);
    await page.getByRole('heading', { name: 'Sweep not found' }).waitFor();
  });
});
