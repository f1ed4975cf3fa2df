import type { Db, Prisma } from '@hyperzoo/db';
import { ZSweepSummary } from '@hyperzoo/schemas';
import type { TRunStatus, TSweepDetail, TSweepStatus, TSweepSummary } from '@hyperzoo/schemas';
import type { TJson } from '@hyperzoo/sweeps';

import { DomainError } from '../../errors';
import { planOf } from './plan';
import { bestOf, countByStatus, summarize } from './summary';
import type { TSummaryRun } from './summary';
import { bestValues } from './values';

const detailRunSelect = {
  id: true,
  name: true,
  status: true,
  architecture: true,
  params: true,
  configuration: true,
  repeat: true,
  config: true,
  rungValues: true,
  prunedRung: true,
  prunedCutoff: true,
  error: true,
  _count: { select: { epochs: true } },
} satisfies Prisma.RunSelect;

export async function listSweeps(db: Db, teamId: string, input: { project?: string; status?: TSweepStatus; cursor?: string; limit: number }) {
  const rows = await db.sweep.findMany({
    where: { project: { teamId, ...(input.project ? { slug: input.project } : {}) }, ...(input.status ? { status: input.status } : {}) },
    select: { id: true, name: true, method: true, status: true, createdAt: true, bestRunId: true, bestValue: true, project: { select: { slug: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  // One grouped count for the whole page.
  const groups = await db.run.groupBy({ by: ['sweepId', 'status'], where: { sweepId: { in: page.map((s) => s.id) } }, _count: { _all: true } });
  return {
    items: page.map((s) => {
      const counts = countByStatus([]);
      for (const g of groups) if (g.sweepId === s.id) counts[g.status as TRunStatus] = g._count._all;
      return {
        id: s.id,
        name: s.name,
        method: s.method,
        status: s.status,
        projectSlug: s.project.slug,
        createdAt: s.createdAt,
        counts,
        best: s.bestRunId !== null && s.bestValue !== null ? { runId: s.bestRunId, value: s.bestValue } : null,
      };
    }),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

async function loadSweep(db: Db, sweepId: string) {
  const sweep = await db.sweep.findUnique({
    where: { id: sweepId },
    select: {
      id: true,
      name: true,
      method: true,
      status: true,
      spec: true,
      metricName: true,
      metricGoal: true,
      maxRuns: true,
      maxConcurrent: true,
      createdAt: true,
      finishedAt: true,
      summary: true,
      project: { select: { slug: true } },
      runs: { select: detailRunSelect, orderBy: [{ createdAt: 'asc' }, { sweepPosition: 'asc' }] },
    },
  });
  if (!sweep) throw new DomainError('NOT_FOUND', `sweep ${sweepId} not found`);
  const plan = planOf(sweep.spec);
  const best = await bestValues(db, sweepId, plan.spec.metric);
  const runs: (TSummaryRun & (typeof sweep.runs)[number])[] = sweep.runs.map((r) => ({ ...r, best: best.get(r.id)?.value ?? null, bestEpoch: best.get(r.id)?.epoch ?? null }));
  return { sweep, plan, runs };
}

export async function getSweep(db: Db, sweepId: string): Promise<TSweepDetail> {
  const { sweep, plan, runs } = await loadSweep(db, sweepId);
  // Not the whole summary: the CLI polls this every second, and fANOVA is not free.
  const top = bestOf(plan, runs);
  return {
    id: sweep.id,
    name: sweep.name,
    method: sweep.method,
    status: sweep.status,
    projectSlug: sweep.project.slug,
    spec: sweep.spec as TJson,
    metric: { name: sweep.metricName, goal: sweep.metricGoal },
    maxRuns: sweep.maxRuns,
    maxConcurrent: sweep.maxConcurrent,
    createdAt: sweep.createdAt,
    finishedAt: sweep.finishedAt,
    counts: countByStatus(runs.map((r) => r.status)),
    best: top?.best != null ? { runId: top.id, value: top.best } : null,
    summary: sweep.summary === null ? null : ZSweepSummary.parse(sweep.summary),
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      architecture: r.architecture,
      params: (r.params ?? {}) as Record<string, TJson>,
      configuration: r.configuration,
      repeat: r.repeat,
      seed: typeof (r.config as { seed?: unknown }).seed === 'number' ? ((r.config as { seed: number }).seed) : null,
      bestValue: r.best,
      bestEpoch: r.bestEpoch,
      epochs: r._count.epochs,
      prunedRung: r.prunedRung,
      prunedCutoff: r.prunedCutoff,
      error: r.error,
    })),
  };
}

/** Live: counts, best runs, marginal effects and importance over the trials finished so far. */
export async function getSweepSummary(db: Db, sweepId: string): Promise<TSweepSummary> {
  const { plan, runs } = await loadSweep(db, sweepId);
  return summarize(plan, runs);
}
