/**
 * The dashboard with many runs, in Chromium against the real stack (apps/web/e2e/stack.ts: fresh
 * database, API, the cached production build):
 *   npm run bench:web -- [--runs 600] [--compare 50] [--hovers 20] [--sweep-runs 500]
 * Prints JSON: the runs page's time to its first row (from navigation start), a scripted scroll
 * to the end of the virtualised table (loading every page of 50 on the way: duration, frames,
 * the longest frame, long tasks), the rows in the DOM at the end, and the compare page for
 * --compare runs: time to all curves drawn and the latency of a hover (move to tooltip shown).
 * Then a sweep of --sweep-runs runs (seeded in the database as a finished random search): time
 * to interactive, a scroll through its runs table, hovers over rows (mouse move to that run's
 * line picked out in the parallel coordinates and its values shown under the chart), and the
 * importance panel again after a reload.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import type { Page } from 'playwright-core';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import type { Prisma } from '@hyperzoo/db';
import { ZRunConfig } from '@hyperzoo/schemas';
import type { TRunStatus } from '@hyperzoo/schemas';
import { expandSweep, validateSweep } from '@hyperzoo/sweeps';

import { logIn, openContextPage, startStack } from '../apps/web/e2e/stack';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '600' },
    compare: { type: 'string', default: '50' },
    hovers: { type: 'string', default: '20' },
    'sweep-runs': { type: 'string', default: '500' },
  },
});
const RUNS = Number(args.runs);
const COMPARE = Math.min(Number(args.compare), RUNS);
const HOVERS = Number(args.hovers);
const EPOCHS = 30;
const SWEEP_RUNS = Number(args['sweep-runs']);
const SWEEP_EPOCHS = 10;

const owner = { email: `bench-${randomUUID().slice(0, 8)}@example.test`, name: 'Bench', password: `pw-${randomUUID()}` };
const teamSlug = `bench-${randomUUID().slice(0, 8)}`;
let compareIds: string[] = [];
let sweepId = '';

/**
 * A finished random search of SWEEP_RUNS runs over two architectures and four parameters, written
 * as the scheduler and workers leave it: runs with params, SWEEP_EPOCHS epochs each, a tenth pruned
 * at rung 0 after 3 epochs and a few failed.
 */
/**
 * Scrolls a table's box to its end, 600 px a frame, in the page: until the last row is in view and
 * (with `total`) that many rows have loaded, or `limitMs`. Frame times and long tasks on the way.
 */
async function scrollToEnd(page: Page, o: { scroller: string; table: string; total: number | null; limitMs: number }) {
  return page.evaluate(async ({ scroller, table: tableSel, total, limitMs }) => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    const el = document.querySelector(scroller);
    const table = document.querySelector(tableSel);
    if (!el || !table) throw new Error(`no ${tableSel}`);
    // No named functions in here: the bundler would wrap them in a helper the page does not have.
    const started = performance.now();
    const frames: number[] = [];
    let last = started;
    do {
      el.scrollBy(0, 600);
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      frames.push(now - last);
      last = now;
    } while (performance.now() - started < limitMs && !((total === null || Number(table.getAttribute('aria-rowcount')) - 1 >= total) && el.scrollTop + el.clientHeight >= el.scrollHeight - 1));
    return {
      durationMs: performance.now() - started,
      frames: frames.length,
      longestFrameMs: Math.max(...frames),
      p95FrameMs: [...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95)] ?? null,
      longTasks: w.__longTasks.length,
      longTaskMs: w.__longTasks.reduce((a, b) => a + b, 0),
      rowsLoaded: Number(table.getAttribute('aria-rowcount')) - 1,
      rowsInDom: table.querySelectorAll('tbody tr[data-run-id]').length,
    };
  }, o);
}

async function seedSweep(db: Parameters<Parameters<typeof startStack>[0]>[0]['db'], projectId: string): Promise<string> {
  const checked = validateSweep({
    name: 'bench-sweep',
    architectures: ['mlp', 'lenet5'],
    method: 'random',
    metric: { name: 'val_accuracy', goal: 'maximize' },
    parameters: {
      'optimizer.learningRate': { distribution: 'log_uniform', min: 1e-4, max: 1e-1 },
      dropout: { distribution: 'uniform', min: 0, max: 0.5 },
      activation: { values: ['relu', 'sigmoid'] },
      batchSize: { values: [32, 64] },
      epochs: { value: SWEEP_EPOCHS },
    },
    maxRuns: SWEEP_RUNS,
    earlyTermination: { type: 'hyperband', minEpochs: 3, eta: 3 },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const { spec } = checked;
  const planned = expandSweep(spec, checked.space);
  const sweep = await db.sweep.create({
    data: {
      projectId,
      name: spec.name,
      method: spec.method,
      status: 'finished',
      spec,
      seed: spec.seed,
      metricName: spec.metric.name,
      metricGoal: spec.metric.goal,
      maxRuns: planned.length,
      maxConcurrent: spec.maxConcurrent,
      finishedAt: new Date(),
    },
    select: { id: true },
  });
  const statusOf = (i: number): TRunStatus => (i % 10 === 3 ? 'pruned' : i % 50 === 7 ? 'failed' : 'succeeded');
  const base = Date.now() - 3_600_000;
  await db.run.createMany({
    data: planned.map((r, i) => ({
      projectId,
      sweepId: sweep.id,
      name: `${r.config.architecture}-${i}`,
      status: statusOf(i),
      config: r.config as Prisma.InputJsonValue,
      architecture: r.config.architecture,
      dataset: r.config.data.dataset,
      sweepPosition: i,
      configuration: r.configuration,
      repeat: r.repeat,
      params: r.params as Prisma.InputJsonValue,
      ...(statusOf(i) === 'pruned' ? { prunedRung: 0, prunedCutoff: 0.8 } : {}),
      ...(statusOf(i) === 'failed' ? { error: 'diverged: loss is NaN' } : {}),
      createdAt: new Date(base + i * 1000),
    })),
  });
  const runs = await db.run.findMany({ where: { sweepId: sweep.id }, select: { id: true, status: true, sweepPosition: true } });
  await db.epochMetric.createMany({
    data: runs.flatMap((run) => {
      const k = run.sweepPosition ?? 0;
      const last = run.status === 'pruned' ? 3 : run.status === 'failed' ? 1 : SWEEP_EPOCHS;
      const peak = 0.8 + ((k * 7919) % 100) / 1000;
      return Array.from({ length: last }, (_, e) => ({
        runId: run.id,
        epoch: e + 1,
        loss: 1 / (e + 1),
        accuracy: 1 - 0.5 / (e + 1),
        valLoss: 0.4 + 0.01 * (e - 5) ** 2,
        valAccuracy: peak - 0.005 * Math.abs(e - 5),
        lr: 0.001,
        durationMs: 1000,
      }));
    }),
  });
  return sweep.id;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null;
const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

const stack = await startStack(async ({ db }) => {
  const { teamId } = await createTeamWithOwner(db, { slug: teamSlug, name: 'Bench team', owner });
  const project = await db.project.findFirstOrThrow({ where: { teamId, slug: 'default' }, select: { id: true } });
  const config = ZRunConfig.parse({ architecture: 'lenet5', epochs: EPOCHS });
  const base = Date.now() - 86_400_000;
  await db.run.createMany({
    data: Array.from({ length: RUNS }, (_, i) => ({
      projectId: project.id,
      name: `lenet5-seed${i}`,
      status: 'succeeded' as const,
      config: { ...config, seed: i } as Prisma.InputJsonValue,
      architecture: 'lenet5',
      dataset: 'fashion-mnist',
      bestEpoch: 10,
      testAccuracy: 0.85,
      createdAt: new Date(base + i * 1000),
    })),
  });
  const runs = await db.run.findMany({ where: { projectId: project.id }, orderBy: { createdAt: 'desc' }, take: COMPARE, select: { id: true } });
  compareIds = runs.map((r) => r.id);
  await db.epochMetric.createMany({
    data: compareIds.flatMap((runId, k) =>
      Array.from({ length: EPOCHS }, (_, e) => ({ runId, epoch: e + 1, loss: 1 / (e + 1 + k / 20), valLoss: 0.5 + 0.001 * (e - 10) ** 2, accuracy: 0.8, valAccuracy: 0.8, lr: 0.001, durationMs: 1000 })),
    ),
  });
  if (SWEEP_RUNS > 0) sweepId = await seedSweep(db, project.id);
});

try {
  const { context, page } = await openContextPage(stack.browser, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await logIn(page, stack.webUrl, owner.email, owner.password);
  await page.waitForURL(/\/runs$/, { timeout: 30_000 });

  // Time to the first row, on a fresh load of the runs page.
  await page.goto(`${stack.webUrl}/teams/${teamSlug}/runs`);
  await page.locator('table[aria-label="Runs"] tbody tr[data-run-id]').first().waitFor({ timeout: 30_000 });
  const firstRowMs = await page.evaluate(() => performance.now());
  const domInteractiveMs = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domInteractive);

  // Scroll to the end, 600 px a frame, until every run has loaded and the last row is in view.
  const scroll = await scrollToEnd(page, { scroller: '.table-scroll', table: 'table[aria-label="Runs"]', total: RUNS, limitMs: 120_000 });

  // Compare: all curves drawn, then hovers across the validation-loss chart.
  const compareStarted = Date.now();
  await page.goto(`${stack.webUrl}/teams/${teamSlug}/compare?runs=${compareIds.join(',')}`);
  const chart = page.getByRole('figure', { name: 'Validation loss' });
  await page.waitForFunction((n) => document.querySelectorAll('figure[aria-label="Validation loss"] .recharts-line-curve').length === n, COMPARE, { timeout: 60_000 });
  const compareDrawnMs = Date.now() - compareStarted;
  const box = await chart.locator('.recharts-cartesian-grid').boundingBox();
  if (!box) throw new Error('no plot area');
  const hoverMs: number[] = [];
  for (let i = 0; i < HOVERS; i++) {
    const x = box.x + ((i % 10) + 0.5) * (box.width / 10);
    const epoch = await page.evaluate(() => document.querySelector('figure[aria-label="Validation loss"] .chart-tooltip-title')?.textContent ?? '');
    const t0 = Date.now();
    await page.mouse.move(x, box.y + box.height / 2);
    await page.waitForFunction(
      ([before, n]) => {
        const tip = document.querySelector('figure[aria-label="Validation loss"] [role="tooltip"]');
        return !!tip && tip.querySelector('.chart-tooltip-title')?.textContent !== before && tip.querySelectorAll('li').length === n;
      },
      [epoch, COMPARE] as const,
      { timeout: 10_000 },
    );
    hoverMs.push(Date.now() - t0);
  }
  const sweep = SWEEP_RUNS > 0 ? await measureSweepPage(page) : null;
  await context.close();

  console.log(
    JSON.stringify(
      {
        runs: RUNS,
        runsPage: { domInteractiveMs: round(domInteractiveMs), firstRowMs: round(firstRowMs) },
        scroll: Object.fromEntries(Object.entries(scroll).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
        compare: { runs: COMPARE, drawnMs: compareDrawnMs, hoverMsMedian: median(hoverMs), hoverMsMax: Math.max(...hoverMs) },
        sweep,
      },
      null,
      2,
    ),
  );
} finally {
  await stack.close();
}

/**
 * The sweep page: time to interactive (navigation start to the first row shown and the parallel
 * coordinates drawn, measured in the page), a scroll through the whole runs table, and hovers
 * over rows (mouse move to that run's line picked out and its values shown under the chart).
 */
async function measureSweepPage(page: Page) {
  // Each wait returns performance.now() from the frame where its condition first held: the API
  // runs in this process, and its fANOVA for the summary would delay a time taken from here.
  const inPage = (selectors: string[]) =>
    page
      .waitForFunction((sels) => (sels.every((sel) => document.querySelector(sel)) ? performance.now() : 0), selectors, { polling: 'raf', timeout: 300_000 })
      .then((h) => h.jsonValue());
  await page.goto(`${stack.webUrl}/teams/${teamSlug}/sweeps/${sweepId}`, { waitUntil: 'commit' });
  // All three watch from the start, each in its own polling loop.
  const [firstRowAt, interactiveAt, importanceAt] = await Promise.all([
    inPage(['table[aria-label="Sweep runs"] tbody tr[data-run-id]']),
    inPage(['table[aria-label="Sweep runs"] tbody tr[data-run-id]', '[data-testid="parallel-coordinates"] canvas']),
    inPage(['section[aria-label="Hyperparameter importance"]']),
  ]);
  const marks = { rows: firstRowAt, interactive: interactiveAt, importance: importanceAt };
  const interactiveMs = marks.interactive;
  const { rowsLoaded, longTaskMs: _, ...scrolled } = await scrollToEnd(page, { scroller: '[data-testid="sweep-runs-scroll"]', table: 'table[aria-label="Sweep runs"]', total: null, limitMs: 60_000 });
  const scroll = { ...scrolled, rows: rowsLoaded };
  await page.evaluate(() => document.querySelector('[data-testid="sweep-runs-scroll"]')?.scrollTo(0, 0));
  const hoverMs: number[] = [];
  const rows = page.locator('table[aria-label="Sweep runs"] tbody tr[data-run-id]');
  for (let i = 0; i < HOVERS; i++) {
    const row = rows.nth(i % 10);
    const name = (await row.locator('.run-link').textContent()) ?? '';
    // The table sits below the chart: bring the row into the viewport, or the mouse never reaches it.
    await row.scrollIntoViewIfNeeded();
    const box = await row.boundingBox();
    if (!box) throw new Error('row not in view');
    const t0 = Date.now();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page
      .waitForFunction(
        (n) => {
          const readout = document.querySelector('[data-testid="parallel-readout"]');
          return readout?.textContent?.startsWith(`${n}:`) === true;
        },
        name,
        { timeout: 10_000 },
      )
      .catch(async (err: unknown) => {
        const readout = await page.evaluate(() => document.querySelector('[data-testid="parallel-readout"]')?.textContent ?? 'no readout');
        throw new Error(`no readout for ${name} after a row hover: ${(err as Error).message}\n${readout}`);
      });
    hoverMs.push(Date.now() - t0);
  }
  // A reload asks analysis.sweep again for the same ended runs: the API's remembered rankings answer.
  await page.reload({ waitUntil: 'commit' });
  const reloadImportanceAt = await inPage(['section[aria-label="Hyperparameter importance"]']);
  return {
    runs: SWEEP_RUNS,
    interactiveMs: round(interactiveMs),
    firstRowMs: round(marks.rows),
    importanceShownMs: round(marks.importance),
    importanceShownOnReloadMs: round(reloadImportanceAt),
    scroll: Object.fromEntries(Object.entries(scroll).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
    rowHoverToHighlightMsMedian: median(hoverMs),
    rowHoverToHighlightMsMax: Math.max(...hoverMs),
  };
}
