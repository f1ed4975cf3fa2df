/**
 * The dashboard with many runs, in Chromium against the real stack (apps/web/e2e/stack.ts: fresh
 * database, API, the cached production build):
 *   npm run bench:web -- [--runs 600] [--compare 50] [--hovers 20]
 * Prints JSON: the runs page's time to its first row (from navigation start), a scripted scroll
 * to the end of the virtualised table (loading every page of 50 on the way: duration, frames,
 * the longest frame, long tasks), the rows in the DOM at the end, and the compare page for
 * --compare runs: time to all curves drawn and the latency of a hover (move to tooltip shown).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import type { Prisma } from '@hyperzoo/db';
import { ZRunConfig } from '@hyperzoo/schemas';

import { logIn, openContextPage, startStack } from '../apps/web/e2e/stack';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '600' },
    compare: { type: 'string', default: '50' },
    hovers: { type: 'string', default: '20' },
  },
});
const RUNS = Number(args.runs);
const COMPARE = Math.min(Number(args.compare), RUNS);
const HOVERS = Number(args.hovers);
const EPOCHS = 30;

const owner = { email: `bench-${randomUUID().slice(0, 8)}@example.test`, name: 'Bench', password: `pw-${randomUUID()}` };
const teamSlug = `bench-${randomUUID().slice(0, 8)}`;
let compareIds: string[] = [];

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
  const scroll = await page.evaluate(async (total) => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    const el = document.querySelector('.table-scroll');
    const table = document.querySelector('table[aria-label="Runs"]');
    if (!el || !table) throw new Error('no runs table');
    const started = performance.now();
    const frames: number[] = [];
    let last = started;
    while (performance.now() - started < 120_000) {
      el.scrollBy(0, 600);
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      frames.push(now - last);
      last = now;
      const loaded = Number(table.getAttribute('aria-rowcount')) - 1;
      if (loaded >= total && el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
    }
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
  }, RUNS);

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
  await context.close();

  console.log(
    JSON.stringify(
      {
        runs: RUNS,
        runsPage: { domInteractiveMs: round(domInteractiveMs), firstRowMs: round(firstRowMs) },
        scroll: Object.fromEntries(Object.entries(scroll).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
        compare: { runs: COMPARE, drawnMs: compareDrawnMs, hoverMsMedian: median(hoverMs), hoverMsMax: Math.max(...hoverMs) },
      },
      null,
      2,
    ),
  );
} finally {
  await stack.close();
}
