import type { Db } from '@hyperzoo/db';
import type { TResourceClass, TRunConfig, TSweepStatus } from '@hyperzoo/schemas';

import { DomainError } from '../../errors';
import { advanceSweep, enqueueRuns, lockSweep, SWEEP_TX_TIMEOUT_MS } from './scheduler';
import type { TSweepDeps } from './scheduler';

export interface TSweepControlResult {
  sweepId: string;
  status: TSweepStatus;
  /** Runs written and handed to the queue by this call. */
  created: number;
  enqueueError?: string;
}

/** The sweep's status and team, under its lock; `allowed` lists the statuses the action applies to. */
async function lockedSweep(tx: Db, sweepId: string, action: string, allowed: readonly TSweepStatus[]) {
  await lockSweep(tx, sweepId);
  const sweep = await tx.sweep.findUniqueOrThrow({ where: { id: sweepId }, select: { status: true, spec: true, project: { select: { teamId: true } } } });
  if (!allowed.includes(sweep.status)) throw new DomainError('PRECONDITION_FAILED', `sweep ${sweepId} is ${sweep.status}; cannot ${action} it`);
  const resourceClass = ((sweep.spec as { resourceClass?: TResourceClass }).resourceClass ?? 'cpu');
  return { ...sweep, target: { teamId: sweep.project.teamId, resourceClass } };
}

const statusOf = async (db: Db, sweepId: string) => (await db.sweep.findUniqueOrThrow({ where: { id: sweepId }, select: { status: true } })).status;

/** No new run starts: waiting jobs leave the queue (workers also refuse runs of a paused sweep); running ones finish. */
export async function pauseSweep(deps: TSweepDeps, sweepId: string): Promise<TSweepControlResult> {
  const { target, queued } = await deps.db.$transaction(async (tx) => {
    const sweep = await lockedSweep(tx, sweepId, 'pause', ['running', 'paused']);
    await tx.sweep.update({ where: { id: sweepId }, data: { status: 'paused' } });
    return { target: sweep.target, queued: await tx.run.findMany({ where: { sweepId, status: 'queued' }, select: { id: true } }) };
  });
  await Promise.allSettled(queued.map((r) => deps.queues.remove(r.id, target)));
  return { sweepId, status: 'paused', created: 0 };
}

/** Queued runs go back to the queue, and the scheduler fills the free slots again. */
export async function resumeSweep(deps: TSweepDeps, sweepId: string): Promise<TSweepControlResult> {
  const { target, queued } = await deps.db.$transaction(async (tx) => {
    const sweep = await lockedSweep(tx, sweepId, 'resume', ['paused', 'running']);
    await tx.sweep.update({ where: { id: sweepId }, data: { status: 'running' } });
    return { target: sweep.target, queued: await tx.run.findMany({ where: { sweepId, status: 'queued' }, select: { id: true, config: true } }) };
  });
  const requeueError = await enqueueRuns(deps.queues, target, queued.map((r) => ({ id: r.id, config: r.config as TRunConfig })), { isNew: false });
  const step = await advanceSweep(deps, sweepId);
  const enqueueError = requeueError ?? step.enqueueError;
  return { sweepId, status: await statusOf(deps.db, sweepId), created: step.created, ...(enqueueError ? { enqueueError } : {}) };
}

/** Queued runs end cancelled at once; running ones stop at their next batch (as runs.cancel). */
export async function cancelSweep(deps: TSweepDeps, sweepId: string): Promise<TSweepControlResult> {
  const { target, queued } = await deps.db.$transaction(async (tx) => {
    const sweep = await lockedSweep(tx, sweepId, 'cancel', ['running', 'paused', 'cancelled']);
    const now = new Date();
    await tx.sweep.update({ where: { id: sweepId }, data: { status: 'cancelled', pendingReruns: [] } });
    const queuedRuns = await tx.run.findMany({ where: { sweepId, status: 'queued' }, select: { id: true, attempt: true } });
    await tx.run.updateMany({ where: { sweepId, status: 'queued' }, data: { status: 'cancelled', cancelRequestedAt: now, finishedAt: now } });
    await tx.run.updateMany({ where: { sweepId, status: 'running', cancelRequestedAt: null }, data: { cancelRequestedAt: now } });
    return { target: sweep.target, queued: queuedRuns };
  });
  deps.live.publishStatus(queued.map((r) => ({ runId: r.id, attempt: r.attempt, status: 'cancelled' })));
  await Promise.allSettled(queued.map((r) => deps.queues.remove(r.id, target)));
  await advanceSweep(deps, sweepId);
  return { sweepId, status: 'cancelled', created: 0 };
}

/**
 * Each failed (or diverged) run whose configuration and repeat has no other run gets a copy,
 * started as slots free up; a finished sweep runs again until they end.
 */
export async function rerunFailedRuns(deps: TSweepDeps, sweepId: string): Promise<TSweepControlResult> {
  await deps.db.$transaction(async (tx) => {
    await lockedSweep(tx, sweepId, 'rerun runs of', ['running', 'paused', 'finished']);
    const runs = await tx.run.findMany({ where: { sweepId }, select: { id: true, status: true, configuration: true, repeat: true }, orderBy: { createdAt: 'asc' } });
    const sweep = await tx.sweep.findUniqueOrThrow({ where: { id: sweepId }, select: { status: true, pendingReruns: true } });
    const slot = (r: { configuration: number | null; repeat: number | null }) => `${r.configuration}/${r.repeat}`;
    const pending = new Set(runs.filter((r) => sweep.pendingReruns.includes(r.id)).map(slot));
    const lastOf = new Map<string, (typeof runs)[number]>();
    for (const r of runs) lastOf.set(slot(r), r);
    const again = [...lastOf.entries()].filter(([k, r]) => (r.status === 'failed' || r.status === 'diverged') && !pending.has(k)).map(([, r]) => r.id);
    if (again.length === 0) return;
    await tx.sweep.update({
      where: { id: sweepId },
      data: { pendingReruns: [...sweep.pendingReruns, ...again], ...(sweep.status === 'finished' ? { status: 'running', finishedAt: null } : {}) },
    });
  }, { timeout: SWEEP_TX_TIMEOUT_MS });
  const step = await advanceSweep(deps, sweepId);
  return { sweepId, status: await statusOf(deps.db, sweepId), created: step.created, ...(step.enqueueError ? { enqueueError: step.enqueueError } : {}) };
}

/** More runs: the plan goes on (grid: more repeats; random: more configurations; TPE: more proposals). */
export async function addSweepRuns(deps: TSweepDeps, sweepId: string, runs: number): Promise<TSweepControlResult> {
  await deps.db.$transaction(async (tx) => {
    const sweep = await lockedSweep(tx, sweepId, 'add runs to', ['running', 'paused', 'finished']);
    await tx.sweep.update({
      where: { id: sweepId },
      data: { maxRuns: { increment: runs }, ...(sweep.status === 'finished' ? { status: 'running', finishedAt: null } : {}) },
    });
  });
  const step = await advanceSweep(deps, sweepId);
  return { sweepId, status: await statusOf(deps.db, sweepId), created: step.created, ...(step.enqueueError ? { enqueueError: step.enqueueError } : {}) };
}
