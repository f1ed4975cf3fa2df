import { tracked } from '@trpc/server';

import type { Db, Prisma } from '@hyperzoo/db';
import { fromEpochRow } from '@hyperzoo/schemas';
import type { TRunChange, TRunEvent } from '@hyperzoo/schemas';

import { EventBuffer } from './live-buffer';
import type { LiveHub } from './live-hub';

interface LiveDeps {
  db: Db;
  live: LiveHub;
}

/**
 * A run's event id is `<attempt>:<epoch>`, the newest epoch the client has (0 before the first).
 * On reconnect the client sends it back and gets the epochs it missed from the DB: later epochs,
 * or any epoch of a later attempt (a retried run re-reports epochs after its checkpoint).
 */
function parseRunMark(id: string | null | undefined): { attempt: number; epoch: number } | null {
  const m = /^(\d{1,9}):(\d{1,9})$/.exec(id ?? '');
  return m ? { attempt: Number(m[1]), epoch: Number(m[2]) } : null;
}

/** Live events of one run: missed epochs (on reconnect), the current status, then every event as it happens. */
export async function* streamRun(deps: LiveDeps, runId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
  const buffer = new EventBuffer<TRunEvent>(signal);
  // Listen before reading the DB, so nothing falls between the replay and the live events.
  const stop = deps.live.onRun(runId, buffer.push);
  try {
    let mark = parseRunMark(lastEventId);
    const replayed = new Map<number, number>();
    if (mark) {
      const since = mark;
      const rows = await deps.db.epochMetric.findMany({
        where: { runId, OR: [{ epoch: { gt: since.epoch } }, { attempt: { gt: since.attempt } }] },
        orderBy: { epoch: 'asc' },
      });
      for (const row of rows) {
        replayed.set(row.epoch, row.attempt);
        mark = { attempt: Math.max(mark.attempt, row.attempt), epoch: row.epoch };
        yield tracked(`${mark.attempt}:${mark.epoch}`, { type: 'epoch', runId, attempt: row.attempt, metric: fromEpochRow(row) } satisfies TRunEvent);
      }
    }
    const run = await deps.db.run.findUnique({ where: { id: runId }, select: { status: true, attempt: true } });
    if (!run) return;
    mark ??= { attempt: run.attempt, epoch: 0 };
    yield tracked(`${mark.attempt}:${mark.epoch}`, { type: 'status', runId, attempt: run.attempt, status: run.status } satisfies TRunEvent);
    for (let event = await buffer.next(); event; event = await buffer.next()) {
      if (event.type === 'epoch') {
        const stored = replayed.get(event.metric.epoch);
        if (stored !== undefined && event.attempt <= stored) continue; // already sent from the DB
        mark = { attempt: Math.max(mark.attempt, event.attempt), epoch: event.metric.epoch };
      }
      yield tracked(`${mark.attempt}:${mark.epoch}`, event);
    }
  } finally {
    stop();
  }
}

/** Clocks of API processes may differ a little; replaying a change twice is harmless (it is state, not a delta). */
const REPLAY_SKEW_MS = 5_000;
const REPLAY_MAX_RUNS = 500;

/**
 * Live changes of a set of runs (a team's, a sweep's). The event id is the time it was sent; on
 * reconnect the runs changed since then (and those still running, with their newest epoch) are
 * sent again from the DB.
 */
export async function* streamRunChanges(
  deps: LiveDeps,
  scope: { teamId: string } | { sweepId: string },
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  const buffer = new EventBuffer<TRunChange>(signal);
  const stop = 'teamId' in scope ? deps.live.onTeam(scope.teamId, buffer.push) : deps.live.onSweep(scope.sweepId, buffer.push);
  try {
    const since = /^\d{1,15}$/.test(lastEventId ?? '') ? Number(lastEventId) : null;
    if (since !== null) {
      const where: Prisma.RunWhereInput = {
        ...('teamId' in scope ? { project: { teamId: scope.teamId } } : { sweepId: scope.sweepId }),
        OR: [{ updatedAt: { gt: new Date(since - REPLAY_SKEW_MS) } }, { status: 'running' }],
      };
      const runs = await deps.db.run.findMany({ where, select: { id: true, status: true, attempt: true }, orderBy: { updatedAt: 'desc' }, take: REPLAY_MAX_RUNS });
      const latest = await deps.db.epochMetric.groupBy({ by: ['runId'], where: { runId: { in: runs.map((r) => r.id) } }, _max: { epoch: true } });
      const epochOf = new Map(latest.map((l) => [l.runId, l._max.epoch]));
      for (const r of runs) {
        yield tracked(String(Date.now()), { type: 'status', runId: r.id, attempt: r.attempt, status: r.status } satisfies TRunChange);
        const epoch = epochOf.get(r.id);
        if (epoch != null) yield tracked(String(Date.now()), { type: 'progress', runId: r.id, epoch } satisfies TRunChange);
      }
    }
    for (let event = await buffer.next(); event; event = await buffer.next()) yield tracked(String(Date.now()), event);
  } finally {
    stop();
  }
}
