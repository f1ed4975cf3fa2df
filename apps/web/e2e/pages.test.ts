// The analysis pages in Chromium (e2e/harness.ts: real database, API, Next production build):
// the runs table (virtualised, selection), compare for 2 and 50 runs, the run page's gap curve and
// markers, the overfitting view (same numbers as libs/analysis, which `hz analyze` uses), API keys
// and workers.
import { randomUUID } from 'node:crypto';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { analyzeCurve, curveFromRecords, summarizeGroups } from '@hyperzoo/analysis';
import { createTeamWithOwner } from '@hyperzoo/api-routers';
import type { Prisma } from '@hyperzoo/db';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { ZRunConfig } from '@hyperzoo/schemas';

import { failOnPageProblems, openPage } from './harness';
import { logIn, screenshot, startStack } from './stack';
import type { TStack } from './stack';

const owner = { email: `owner-${randomUUID().slice(0, 8)}@example.test`, name: 'Ada Owner', password: `pw-${randomUUID()}` };
const viewer = { email: `viewer-${randomUUID().slice(0, 8)}@example.test`, name: 'Vic Viewer', password: `pw-${randomUUID()}` };
const teamSlug = `pages-${randomUUID().slice(0, 8)}`;
const FILLER_RUNS = 600;
const CURVE_RUNS = 50;

let stack: TStack;
let t: TestDatabase;
let webUrl: string;
let teamId: string;

/** The zoo project: three architectures by four seeds (12 runs: more than one batched request carries), each overfitting after a few epochs. */
const ZOO = [
  { architecture: 'mlp', paramCount: 101_770, turn: 3 },
  { architecture: 'lenet5', paramCount: 61_706, turn: 5 },
  { architecture: 'alexnet', paramCount: 1_250_000, turn: 4 },
] as const;
const SEEDS = [1, 2, 3, 4];
const ZOO_EPOCHS = 8;

function zooEpochs(turn: number, seed: number) {
  return Array.from({ length: ZOO_EPOCHS }, (_, i) => {
    const epoch = i + 1;
    const loss = 1.2 / epoch + 0.01 * seed;
    const valLoss = 0.45 + 0.03 * (epoch - turn) ** 2 + 0.02 * seed;
    return { epoch, loss, valLoss, accuracy: 1 - loss / 3, valAccuracy: 1 - valLoss / 3, durationMs: 10_000, imagesPerSec: 2000, lr: 0.001 };
  });
}

const zooRuns: { id: string; name: string; architecture: string; seed: number }[] = [];
let stoppedRunId = '';
let failedRunId = '';
let curveRunIds: string[] = [];

async function seed(db: TestDatabase['db']) {
  ({ teamId } = await createTeamWithOwner(db, { slug: teamSlug, name: 'Pages team', owner }));
  const { userId: viewerId } = await createTeamWithOwner(db, { slug: `own-${randomUUID().slice(0, 8)}`, name: 'Viewer team', owner: viewer });
  await db.membership.create({ data: { teamId, userId: viewerId, role: 'viewer' } });
  const defaultProject = await db.project.findFirstOrThrow({ where: { teamId, slug: 'default' }, select: { id: true } });
  const zoo = await db.project.create({ data: { teamId, slug: 'zoo', name: 'Zoo' }, select: { id: true } });

  // Old filler runs (a sweep's worth), the first 50 with 30-epoch curves for the 50-run comparison.
  const base = Date.now() - 10 * 86_400_000;
  const fillerConfig = ZRunConfig.parse({ architecture: 'mlp', epochs: 30 });
  await db.run.createMany({
    data: Array.from({ length: FILLER_RUNS }, (_, i) => ({
      projectId: defaultProject.id,
      name: `filler-${String(i).padStart(3, '0')}`,
      status: 'cancelled' as const,
      config: { ...fillerConfig, seed: i } as Prisma.InputJsonValue,
      architecture: 'mlp',
      dataset: 'fashion-mnist',
      createdAt: new Date(base + i * 1000),
    })),
  });
  const curveRuns = await db.run.findMany({ where: { projectId: defaultProject.id }, orderBy: { createdAt: 'desc' }, take: CURVE_RUNS, select: { id: true } });
  curveRunIds = curveRuns.map((r) => r.id);
  await db.epochMetric.createMany({
    data: curveRunIds.flatMap((runId, k) =>
      Array.from({ length: 30 }, (_, i) => ({ runId, epoch: i + 1, loss: 1 / (i + 1 + k / 10), valLoss: 0.5 + 0.002 * (i - 10) ** 2, accuracy: 0.5, valAccuracy: 0.6, lr: 0.01, durationMs: 1000 })),
    ),
  });

  for (const z of ZOO) {
    for (const s of SEEDS) {
      const name = `${z.architecture}-seed${s}`;
      const config = ZRunConfig.parse({ architecture: z.architecture, epochs: ZOO_EPOCHS, seed: s, earlyStopping: { patience: 3 } });
      const run = await db.run.create({
        data: {
          projectId: zoo.id,
          name,
          status: 'succeeded',
          config: config as Prisma.InputJsonValue,
          architecture: z.architecture,
          dataset: 'fashion-mnist',
          attempt: 1,
          backend: 'wasm',
          device: 'cpu (2 cores)',
          paramCount: z.paramCount,
          bestEpoch: z.turn,
          stoppedEpoch: ZOO_EPOCHS,
          testAccuracy: 0.8,
          testLoss: 0.5,
          startedAt: new Date(Date.now() - 100_000),
          finishedAt: new Date(),
          epochs: { create: zooEpochs(z.turn, s) },
        },
        select: { id: true },
      });
      zooRuns.push({ id: run.id, name, architecture: z.architecture, seed: s });
    }
  }
  stoppedRunId = zooRuns[0]?.id ?? '';

  const failed = await db.run.create({
    data: {
      projectId: defaultProject.id,
      name: 'resnet-failed',
      status: 'failed',
      error: 'trainer exited with code 137 (out of memory)',
      config: ZRunConfig.parse({ architecture: 'resnet', epochs: 3 }) as Prisma.InputJsonValue,
      architecture: 'resnet',
      dataset: 'fashion-mnist',
      attempt: 3,
      createdAt: new Date(base - 1000),
    },
    select: { id: true },
  });
  failedRunId = failed.id;

  const now = Date.now();
  const devices = [{ kind: 'cpu', name: 'Intel Xeon', memoryMb: 24_576, cores: 2 }];
  await db.worker.create({
    data: { teamId, name: 'box-online', hostname: 'gpu-07.lab', backend: 'wasm', devices, resourceClass: 'cpu', capacity: 2, version: '0.1.0', lastSeenAt: new Date(now), currentRuns: [failed.id] },
  });
  await db.worker.create({
    data: { teamId, name: 'box-offline', hostname: 'gpu-08.lab', backend: 'tensorflow', devices, resourceClass: 'gpu', capacity: 1, version: '0.1.0', lastSeenAt: new Date(now - 3_600_000), startedAt: new Date(now - 7_200_000) },
  });
}

beforeAll(async () => {
  stack = await startStack((db) => seed(db.db));
  ({ t, webUrl } = stack);
}, 420_000);

afterAll(async () => {
  await stack?.close();
});

failOnPageProblems();

async function ownerPage(width = 1280) {
  const { context, page } = await openPage(stack.browser, { viewport: { width, height: 900 } });
  await logIn(page, webUrl, owner.email, owner.password);
  await page.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`), { timeout: 20_000 });
  return { context, page };
}

/** Hovers the middle of a chart's plot area and returns the tooltip's rows. */
async function hoverChart(page: Page, title: string) {
  const chart = page.getByRole('figure', { name: title });
  const box = await chart.locator('.recharts-cartesian-grid').boundingBox();
  if (!box) throw new Error(`no plot area in ${title}`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = chart.getByRole('tooltip');
  await tooltip.waitFor({ timeout: 10_000 });
  return tooltip;
}

describe('analysis pages in Chromium', () => {
  it('renders only the rows in view of 600+ runs, loads older ones on scroll, and compares two ticked runs', async () => {
    const { context, page } = await ownerPage();
    const table = page.getByRole('table', { name: 'Runs' });
    await table.locator('tbody tr[data-run-id]').first().waitFor({ timeout: 15_000 });
    // Scroll to the end a few times: pages of 50 load as the end comes into view.
    const scroller = page.locator('.table-scroll');
    for (let i = 0; i < 4; i++) {
      await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(400);
    }
    await expect.poll(async () => Number(await table.getAttribute('aria-rowcount')), { timeout: 15_000 }).toBeGreaterThan(150);
    // Virtualised: what the DOM holds stays a screenful, whatever has loaded.
    expect(await table.locator('tbody tr[data-run-id]').count()).toBeLessThan(60);

    await scroller.evaluate((el) => el.scrollTo(0, 0));
    const [a, b] = zooRuns.filter((r) => r.architecture === 'lenet5');
    if (!a || !b) throw new Error('seed');
    await page.getByRole('checkbox', { name: `Select ${a.name}` }).check();
    await page.getByRole('checkbox', { name: `Select ${b.name}` }).check();
    // The selection is in the URL: a reload keeps it.
    // (replaceState: no navigation to wait for, so poll the address.)
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(new RegExp(`selected=${a.id},${b.id}`));
    await page.reload();
    await page.getByRole('checkbox', { name: `Select ${b.name}` }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('checkbox', { name: `Select ${a.name}` }).isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Compare 2 runs' }).click();
    await page.waitForURL(/\/compare\?runs=/, { timeout: 15_000 });
    await page.reload();

    const legend = page.getByRole('list', { name: 'Runs compared' });
    await legend.getByRole('listitem').first().waitFor({ timeout: 15_000 });
    expect(await legend.getByRole('listitem').allTextContents()).toEqual([a.name, b.name]);
    for (const title of ['Training loss', 'Validation loss', 'Training accuracy', 'Validation accuracy']) {
      const chart = page.getByRole('figure', { name: title });
      await expect.poll(() => chart.locator('.recharts-line-curve').count(), { timeout: 10_000 }).toBe(2);
    }
    // The hover shows both runs' values at one epoch, as recorded.
    const tooltip = await hoverChart(page, 'Validation loss');
    const epoch = Number((await tooltip.locator('.chart-tooltip-title').textContent())?.replace('epoch ', ''));
    const values = await tooltip.locator('.chart-tooltip-value').allTextContents();
    const expected = [a, b].map((r) => zooEpochs(5, r.seed)[epoch - 1]?.valLoss.toFixed(3));
    expect(values).toEqual(expected);
    await screenshot(page, 'compare-2.png');

    // Only the seed differs, and the metrics table has each run's analysis.
    const diff = page.getByRole('table', { name: 'Configuration differences' });
    expect(await diff.locator('thead th.differs').allTextContents()).toEqual(['seed']);
    expect(await diff.locator('tbody tr').nth(1).locator('td').allTextContents()).toEqual(['2']);
    const metricsRow = page.getByRole('table', { name: 'Compared metrics' }).locator(`tr[data-run-id="${a.id}"] td`);
    await metricsRow.first().waitFor({ timeout: 10_000 });
    // run, architecture, status, parameters, epochs, best epoch...
    expect((await metricsRow.allTextContents()).slice(3, 6)).toEqual(['61,706', '8', '5']);
    await context.close();
  });

  it('compares 50 runs by URL, with every run in the hover', async () => {
    const { context, page } = await ownerPage(1440);
    await page.goto(`${webUrl}/teams/${teamSlug}/compare?runs=${curveRunIds.join(',')}`);
    const legend = page.getByRole('list', { name: 'Runs compared' });
    await expect.poll(() => legend.getByRole('listitem').count(), { timeout: 20_000 }).toBe(CURVE_RUNS);
    const chart = page.getByRole('figure', { name: 'Training loss' });
    await expect.poll(() => chart.locator('.recharts-line-curve').count(), { timeout: 10_000 }).toBe(CURVE_RUNS);
    const tooltip = await hoverChart(page, 'Training loss');
    expect(await tooltip.getByRole('listitem').count()).toBe(CURVE_RUNS);
    expect(await tooltip.locator('.chart-tooltip-value', { hasText: '—' }).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Compared metrics' }).locator('tbody tr').count()).toBe(CURVE_RUNS);
    await screenshot(page, 'compare-50.png');
    await context.close();
  });

  it("shows a run's gap curve, best-epoch, onset and stop markers, system panel and error text", async () => {
    const { context, page } = await ownerPage();
    // Layout shifts while the page loads its run and analysis add up here.
    await page.addInitScript(() => {
      const w = window as unknown as { __cls: number };
      w.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${webUrl}/runs/${stoppedRunId}?team=${teamSlug}`);
    const gap = page.getByRole('figure', { name: 'Generalization gap by epoch' });
    await expect.poll(() => gap.locator('.recharts-line-curve').count(), { timeout: 15_000 }).toBe(2);
    // mlp turns at epoch 3: best val_loss there, and the training loss keeps falling after it.
    const loss = page.getByRole('figure', { name: 'Loss by epoch' });
    await expect.poll(() => loss.locator('.marker-best').count(), { timeout: 10_000 }).toBe(1);
    await loss.locator('text', { hasText: 'best 3, onset' }).waitFor();
    expect(await loss.locator('.marker-stopped').count()).toBe(1);
    await loss.locator('text', { hasText: `stopped ${ZOO_EPOCHS}` }).waitFor();
    expect(await gap.locator('.marker-best').count()).toBe(1);
    const facts = await page.locator('dl[aria-label="Overfitting"] .fact').allTextContents();
    const expected = analyzeCurve(curveFromRecords(zooEpochs(3, 1).map((e) => ({ epoch: e.epoch, loss: e.loss, val_loss: e.valLoss, accuracy: e.accuracy, val_accuracy: e.valAccuracy }))), { patience: null });
    expect(facts).toContain(`Best epoch (val_loss)${expected.bestEpoch}`);
    expect(facts).toContain(`Overfitting onset${expected.onsetEpoch}`);
    expect(await page.locator('dl[aria-label="System"]').textContent()).toContain('cpu (2 cores)');
    await screenshot(page, 'run-gap.png');
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    expect(cls).toBeLessThan(0.1);

    await page.goto(`${webUrl}/runs/${failedRunId}?team=${teamSlug}`);
    expect(await page.getByLabel('Run error').textContent({ timeout: 15_000 })).toContain('code 137');
    expect(await page.locator('dl[aria-label="System"]').textContent()).toContain('restarted 2×');
    await context.close();
  });

  it('shows the overfitting view of a project with the numbers of libs/analysis', async () => {
    const { context, page } = await ownerPage(1440);
    await page.getByRole('navigation', { name: 'Team pages' }).getByRole('link', { name: 'Overfitting' }).click();
    await page.waitForURL(/\/overfitting/);
    // No project chosen in the nav's switcher: every project of the team, the zoo's runs among them.
    const groups = page.getByRole('table', { name: 'Groups' });
    await page.getByText('succeeded runs of all projects').waitFor({ timeout: 20_000 });
    await groups.locator('tbody tr[data-group="lenet5"]').waitFor({ timeout: 20_000 });
    // The page follows the switcher: the default project holds no succeeded run.
    const switcher = page.getByRole('navigation', { name: 'Team pages' }).getByLabel('Project');
    await switcher.selectOption('default');
    await page.waitForURL(/project=default/);
    await page.getByText('No succeeded runs in this project yet').waitFor({ timeout: 20_000 });
    await switcher.selectOption('zoo');
    await page.waitForURL(/project=zoo/);
    await page.getByText('succeeded runs of zoo').waitFor({ timeout: 20_000 });
    await groups.locator('tbody tr').first().waitFor({ timeout: 20_000 });
    const summaries = summarizeGroups(
      zooRuns.map((r) => {
        const z = ZOO.find((x) => x.architecture === r.architecture);
        const epochs = zooEpochs(z?.turn ?? 0, r.seed).map((e) => ({ epoch: e.epoch, loss: e.loss, val_loss: e.valLoss, accuracy: e.accuracy, val_accuracy: e.valAccuracy, duration_ms: e.durationMs }));
        return { key: r.architecture, paramCount: z?.paramCount ?? null, analysis: analyzeCurve(curveFromRecords(epochs), { patience: null }) };
      }),
    );
    expect(await groups.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')))).toEqual(summaries.map((s) => s.key));
    for (const s of summaries) {
      const cells = await groups.locator(`tr[data-group="${s.key}"] td`).allTextContents();
      // runs, parameters, best val_accuracy (mean ± sd), best epoch, loss gap, accuracy gap, onset
      expect(cells[0]).toBe(String(s.runs));
      expect(cells[2]).toBe(`${((s.bestValAccuracy.mean ?? NaN) * 100).toFixed(2)}% ± ${((s.bestValAccuracy.sd ?? NaN) * 100).toFixed(2)}%`);
      expect(cells[6]).toBe(`${(s.onsetEpoch.mean ?? NaN).toFixed(1)} ± ${(s.onsetEpoch.sd ?? NaN).toFixed(1)} (${s.onsetEpoch.count} of ${s.runs})`);
    }
    const gap = page.getByRole('figure', { name: /Loss gap/ });
    await expect.poll(() => gap.locator('.recharts-line-curve').count(), { timeout: 20_000 }).toBe(ZOO.length);
    // Each mean comes with its band of one standard deviation over the two seeds.
    expect(await gap.locator('.recharts-area-area').count()).toBe(ZOO.length);
    const scatter = page.getByRole('figure', { name: 'Parameters vs best val_accuracy' });
    expect(await scatter.locator('.recharts-scatter-symbol').count()).toBe(zooRuns.length);
    const saved = page.getByRole('figure', { name: 'Epochs saved vs patience' });
    await expect.poll(() => saved.locator('.recharts-line-curve').count(), { timeout: 10_000 }).toBe(ZOO.length);
    await screenshot(page, 'overfitting.png');

    await page.getByLabel('Group by').selectOption('dataset');
    await page.waitForURL(/by=dataset/);
    await expect.poll(() => groups.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await context.close();
  });

  it('creates an API key shown once, lists and revokes it; a viewer makes read-only keys of their own', async () => {
    const { context, page } = await ownerPage();
    await page.getByRole('navigation', { name: 'Team pages' }).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(/\/keys$/);
    await page.getByRole('form', { name: 'Create an API key' }).getByLabel('Name').fill('ci runner');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByLabel('New API key');
    const key = (await secret.textContent({ timeout: 15_000 })) ?? '';
    expect(key).toMatch(/^hz_/);
    const row = page.getByRole('table', { name: 'API keys' }).locator('tbody tr', { hasText: 'ci runner' });
    await row.waitFor();
    expect(await row.textContent()).toContain('runs:read, runs:write');
    await screenshot(page, 'keys.png');
    await page.reload();
    await row.waitFor({ timeout: 15_000 });
    expect(await page.getByText(key).count()).toBe(0);

    await row.getByRole('button', { name: 'Revoke ci runner' }).click();
    await row.getByRole('button', { name: 'Confirm revoke' }).click();
    await row.getByText('revoked').waitFor({ timeout: 10_000 });
    const stored = await t.db.apiKey.findFirstOrThrow({ where: { name: 'ci runner' }, select: { revokedAt: true } });
    expect(stored.revokedAt).not.toBeNull();
    await context.close();

    const v = await openPage(stack.browser);
    await logIn(v.page, webUrl, viewer.email, viewer.password);
    await v.page.waitForURL(/\/teams\/.+\/runs$/, { timeout: 20_000 });
    await v.page.goto(`${webUrl}/teams/${teamSlug}/keys`);
    // A viewer manages read-only keys of their own: the form offers runs:read only, the list shows only theirs.
    await v.page.getByRole('form', { name: 'Create an API key' }).getByLabel('Name').fill('viewer laptop');
    expect(await v.page.getByRole('form', { name: 'Create an API key' }).getByRole('checkbox').count()).toBe(1);
    await v.page.getByRole('button', { name: 'Create key' }).click();
    const own = v.page.getByRole('table', { name: 'API keys' }).locator('tbody tr', { hasText: 'viewer laptop' });
    await own.waitFor({ timeout: 15_000 });
    expect(await own.textContent()).toContain('runs:read');
    expect(await v.page.getByRole('table', { name: 'API keys' }).locator('tbody tr').count()).toBe(1);
    expect(await v.page.getByRole('navigation', { name: 'Team pages' }).getByRole('link', { name: 'API keys' }).count()).toBe(1);
    await v.context.close();
  });

  it('lists the workers with their state, devices, slots and current runs', async () => {
    // Its last heartbeat: now (the seed ran before the build, longer ago than a worker stays online).
    await t.db.worker.updateMany({ where: { teamId, name: 'box-online' }, data: { lastSeenAt: new Date() } });
    const { context, page } = await ownerPage();
    await page.goto(`${webUrl}/teams/${teamSlug}/workers`);
    const table = page.getByRole('table', { name: 'Workers' });
    await table.locator('tbody tr').first().waitFor({ timeout: 15_000 });
    const online = await table.locator('tbody tr', { hasText: 'box-online' }).locator('td').allTextContents();
    expect(online.slice(1, 6)).toEqual(['online', 'wasm', 'Intel Xeon, 2 cores, 24 GiB', 'cpu', '1 / 2']);
    expect(online[6]).toBe(failedRunId.slice(0, 8));
    const offline = await table.locator('tbody tr', { hasText: 'box-offline' }).locator('td').allTextContents();
    expect(offline.slice(1, 2)).toEqual(['offline']);
    expect(await page.getByText('1 of 2 online').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Workers' }).getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'workers.png');
    await context.close();
  });
});
