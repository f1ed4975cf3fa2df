import { randomUUID } from 'node:crypto';

import type { Db, DbClient, Prisma } from '@hyperzoo/db';
import type { TrainQueues } from '@hyperzoo/queue';
import type { TResourceClass, TRunConfig } from '@hyperzoo/schemas';
import type { TAssignment, TTrial } from '@hyperzoo/sweeps';

import type { TStatusPublisher } from '../live-hub';

import { assignmentOf, planOf, proposeNext, runAt, trialsOf } from './plan';
import type { TSweepPlan } from './plan';
import { bestOf, summarize } from './summary';
import type { TSummaryRun } from './summary';
import { bestValues } from './values';

/** Long enough for a TPE proposal over hundreds of trials and a summary's fANOVA. */
export const SWEEP_TX_TIMEOUT_MS = 60_000;

export interface TSweepDeps {
  db: DbClient;
  queues: TrainQueues;
  live: TStatusPublisher;
}

export const sweepRowSelect = {
  id: true,
  name: true,
  status: true,
  spec: true,
  maxRuns: true,
  maxConcurrent: true,
  pendingReruns: true,
  finishedAt: true,
  projectId: true,
  project: { select: { teamId: true } },
} satisfies Prisma.SweepSelect;
export type TSweepRow = Prisma.SweepGetPayload<{ select: typeof sweepRowSelect }>;

const sweepRunSelect = {
  id: true,
  status: true,
  sweepPosition: true,
  configuration: true,
  architecture: true,
  params: true,
  rungValues: true,
  bestEpoch: true,
} satisfies Prisma.RunSelect;
type TSweepRunRow = Prisma.RunGetPayload<{ select: typeof sweepRunSelect }>;

export interface TNewRun {
  id: string;
  config: TRunConfig;
}

const isActive = (r: { status: string }) => r.status === 'queued' || r.status === 'running';

/** Serialises everything that changes a sweep's runs: the scheduler, pause, resume, cancel. */
export async function lockSweep(tx: Db, sweepId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Sweep" WHERE "id" = ${sweepId}::uuid FOR UPDATE`;
}

/** Runs with their best value of the sweep metric, as the summary and TPE read them. */
async function scoredRuns(tx: Db, sweepId: string, plan: TSweepPlan, runs: readonly TSweepRunRow[]): Promise<TSummaryRun[]> {
  const best = await bestValues(tx, sweepId, plan.spec.metric);
  return runs.map((r) => ({ ...r, best: best.get(r.id)?.value ?? null, bestEpoch: best.get(r.id)?.epoch ?? null }));
}

/**
 * Writes runs into the sweep's free slots (maxConcurrent minus its queued and running runs):
 * pending reruns first, then the next positions of the plan. One createMany; the caller holds
 * the sweep's lock and enqueues the returned runs after the commit.
 */
async function fillSlots(tx: Db, sweep: TSweepRow, plan: TSweepPlan, runs: readonly TSweepRunRow[]): Promise<TNewRun[]> {
  let slots = sweep.maxConcurrent - runs.filter(isActive).length;
  if (sweep.status !== 'running' || slots <= 0) return [];
  const base = { projectId: sweep.projectId, sweepId: sweep.id, resourceClass: plan.spec.resourceClass as TResourceClass };
  const data: TRunRow[] = [];
  const created: TNewRun[] = [];

  const reruns = sweep.pendingReruns.slice(0, slots);
  if (reruns.length > 0) {
    const originals = await tx.run.findMany({
      where: { id: { in: reruns }, sweepId: sweep.id },
      select: { name: true, config: true, architecture: true, dataset: true, configuration: true, repeat: true, params: true },
    });
    for (const o of originals) {
      const id = randomUUID();
      data.push({ ...base, id, name: `${o.name}-rerun`, config: o.config, architecture: o.architecture, dataset: o.dataset, sweepPosition: null, configuration: o.configuration, repeat: o.repeat, params: o.params });
      created.push({ id, config: o.config as TRunConfig });
    }
    slots -= reruns.length;
    await tx.sweep.update({ where: { id: sweep.id }, data: { pendingReruns: sweep.pendingReruns.slice(reruns.length) } });
  }

  let position = runs.reduce((n, r) => (r.sweepPosition === null ? n : Math.max(n, r.sweepPosition + 1)), 0);
  const known = new Map<number, TAssignment>();
  for (const r of runs) if (r.configuration !== null) known.set(r.configuration, assignmentOf(plan.space, r.architecture, r.params));
  let trials: TTrial[] | null = null;
  while (slots > 0 && position < sweep.maxRuns) {
    const { configuration, repeat } = plan.configurationAt(position);
    let assignment = plan.fixedAssignment(configuration) ?? known.get(configuration);
    if (!assignment) {
      trials ??= trialsOf(plan.space, await scoredRuns(tx, sweep.id, plan, runs));
      assignment = proposeNext(plan, trials, configuration);
      // The proposal counts as running for the next one (constant liar), as its runs will.
      trials.push({ number: configuration, assignment, state: 'running', value: null });
      known.set(configuration, assignment);
    }
    const run = runAt(plan, assignment, configuration, repeat);
    const id = randomUUID();
    data.push({
      ...base,
      id,
      name: `${sweep.name}-c${configuration}-r${repeat}`,
      config: run.config,
      architecture: run.config.architecture,
      dataset: run.config.data.dataset,
      sweepPosition: position,
      configuration,
      repeat,
      params: run.params,
    });
    created.push({ id, config: run.config });
    position += 1;
    slots -= 1;
  }
  await insertRuns(tx, data);
  return created;
}

interface TRunRow {
  id: string;
  projectId: string;
  sweepId: string;
  name: string;
  resourceClass: TResourceClass;
  config: unknown;
  architecture: string;
  dataset: string;
  sweepPosition: number | null;
  configuration: number | null;
  repeat: number | null;
  params: unknown;
}

/**
 * Many runs in one statement, one array parameter per column (as writeEpochs): Prisma's
 * createMany took 2 s for 1,000 runs, this takes a few ms (bench/sweeps/create.ts).
 */
async function insertRuns(tx: Db, rows: readonly TRunRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof TRunRow>(key: K) => rows.map((r) => r[key]);
  const json = (key: 'config' | 'params') => rows.map((r) => (r[key] === null || r[key] === undefined ? null : JSON.stringify(r[key])));
  await tx.$executeRaw`
    INSERT INTO "Run" ("id", "projectId", "sweepId", "name", "resourceClass", "config", "architecture", "dataset", "sweepPosition", "configuration", "repeat", "params", "updatedAt")
    SELECT u.*, now() FROM unnest(
      ${col('id')}::uuid[], ${col('projectId')}::uuid[], ${col('sweepId')}::uuid[], ${col('name')}::text[], ${col('resourceClass')}::"ResourceClass"[],
      ${json('config')}::jsonb[], ${col('architecture')}::text[], ${col('dataset')}::text[],
      ${col('sweepPosition')}::int[], ${col('configuration')}::int[], ${col('repeat')}::int[], ${json('params')}::jsonb[]
    ) AS u`;
}

/** When no run is left to go: a running sweep ends finished, a cancelled one keeps its status; both store best run and summary. */
/** Otherwise the best run so far is kept up to date (sweeps.list shows it). */
async function closeIfDone(tx: Db, sweep: TSweepRow, plan: TSweepPlan, runs: readonly TSweepRunRow[]): Promise<void> {
  const planned = runs.filter((r) => r.sweepPosition !== null).length;
  const isOver = !runs.some(isActive);
  const isDone = isOver && sweep.status === 'running' && planned >= sweep.maxRuns && sweep.pendingReruns.length === 0;
  const isCancelledUnclosed = isOver && sweep.status === 'cancelled' && sweep.finishedAt === null;
  const scored = await scoredRuns(tx, sweep.id, plan, runs);
  const best = bestOf(plan, scored);
  const closing = isDone || isCancelledUnclosed;
  await tx.sweep.update({
    where: { id: sweep.id },
    data: {
      bestRunId: best?.id ?? null,
      bestValue: best?.best ?? null,
      ...(closing ? { status: isDone ? 'finished' : 'cancelled', finishedAt: new Date(), summary: summarize(plan, scored) as Prisma.InputJsonValue } : {}),
    },
  });
}

/** Past this, a request stops waiting for Redis (BullMQ waits for a connection it never had). */
const ENQUEUE_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Enqueues runs (jobId = run id): new runs in one bulk add, runs that may have had a job (resume)
 * one by one. A Redis failure leaves them queued in the database for the reconciler.
 */
export async function enqueueRuns(
  queues: TrainQueues,
  target: { teamId: string; resourceClass: TResourceClass },
  runs: readonly TNewRun[],
  opts: { isNew: boolean } = { isNew: true },
): Promise<string | undefined> {
  if (runs.length === 0) return undefined;
  const jobs = runs.map((r) => ({ runId: r.id, teamId: target.teamId, config: r.config }));
  try {
    await withTimeout(
      opts.isNew ? queues.enqueueNew(jobs, target) : Promise.all(jobs.map((job) => queues.enqueue(job, target.resourceClass))).then(() => undefined),
      ENQUEUE_TIMEOUT_MS,
    );
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    console.warn(`${runs.length} sweep runs not (all) enqueued, the reconciler will retry: ${reason}`);
    return `the queue is unreachable (${reason}): ${runs.length} runs wait in the database, queued; the reconciler hands them to the workers when it is back`;
  }
}

/**
 * After a run of the sweep ends (and from the reconciler): fills the free slots, or closes the
 * sweep when every run has ended. Under the sweep's row lock, so two runs ending at once do not
 * both take the same slot.
 */
export async function advanceSweep(deps: TSweepDeps, sweepId: string): Promise<{ created: number; enqueueError?: string }> {
  const step = await deps.db.$transaction(
    async (tx) => {
      await lockSweep(tx, sweepId);
      const sweep = await tx.sweep.findUnique({ where: { id: sweepId }, select: sweepRowSelect });
      if (!sweep) return null;
      const plan = planOf(sweep.spec);
      const runs = await tx.run.findMany({ where: { sweepId }, select: sweepRunSelect });
      const created = await fillSlots(tx, sweep, plan, runs);
      if (created.length === 0) await closeIfDone(tx, sweep, plan, runs);
      return { created, target: { teamId: sweep.project.teamId, resourceClass: plan.spec.resourceClass } };
    },
    { timeout: SWEEP_TX_TIMEOUT_MS },
  );
  if (!step) return { created: 0 };
  deps.live.publishStatus(step.created.map((r) => ({ runId: r.id, attempt: 0, status: 'queued' })));
  const enqueueError = await enqueueRuns(deps.queues, step.target, step.created);
  return { created: step.created.length, ...(enqueueError ? { enqueueError } : {}) };
}

/** A new sweep's first runs, inside the transaction that writes it. */
export const firstRuns = (tx: Db, sweep: TSweepRow, plan: TSweepPlan) => fillSlots(tx, sweep, plan, []);
