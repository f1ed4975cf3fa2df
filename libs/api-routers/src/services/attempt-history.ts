import type { Db } from '@hyperzoo/db';
import { ZAttemptOutcome } from '@hyperzoo/schemas';
import type { TRunAttempt } from '@hyperzoo/schemas';

type TOutcome = NonNullable<TRunAttempt['outcome']>;

/**
 * A run's attempt `attempt` began on a worker. Earlier attempts still open ended without a word
 * from their worker (killed, stalled, lost): the job was retried, so they are `lost`.
 */
export async function openAttempt(db: Db, input: { runId: string; attempt: number; workerId: string | null; backend: string; device: string }): Promise<void> {
  const worker = input.workerId ? await db.worker.findUnique({ where: { id: input.workerId }, select: { name: true, hostname: true } }) : null;
  const now = new Date();
  await db.runAttempt.updateMany({
    where: { runId: input.runId, attempt: { lt: input.attempt }, endedAt: null },
    data: { endedAt: now, outcome: 'lost' },
  });
  const data = {
    workerId: input.workerId,
    workerName: worker ? `${worker.name} (${worker.hostname})` : null,
    backend: input.backend,
    device: input.device,
    startedAt: now,
  };
  await db.runAttempt.upsert({
    where: { runId_attempt: { runId: input.runId, attempt: input.attempt } },
    create: { runId: input.runId, attempt: input.attempt, ...data },
    update: { ...data, endedAt: null, outcome: null, error: null },
  });
}

/**
 * Ends the run's open attempts (the current one, normally) with how they ended; a replayed result
 * changes nothing. The trainer knows the backend and device for sure only once it ran (`where`).
 */
export async function closeAttempts(db: Db, runId: string, outcome: TOutcome, error: string | null, where: { backend?: string | null; device?: string | null } = {}): Promise<void> {
  await db.runAttempt.updateMany({
    where: { runId, endedAt: null },
    data: { endedAt: new Date(), outcome, error, ...(where.backend ? { backend: where.backend } : {}), ...(where.device ? { device: where.device } : {}) },
  });
}

/** Every attempt of a run, first first. */
export async function listAttempts(db: Db, runId: string): Promise<TRunAttempt[]> {
  const rows = await db.runAttempt.findMany({
    where: { runId },
    select: { attempt: true, workerName: true, backend: true, device: true, startedAt: true, endedAt: true, outcome: true, error: true },
    orderBy: { attempt: 'asc' },
  });
  return rows.map((r) => ({ ...r, outcome: r.outcome === null ? null : ZAttemptOutcome.parse(r.outcome) }));
}
