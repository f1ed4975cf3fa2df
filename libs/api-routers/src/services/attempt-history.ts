import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import { ZAttemptOutcome } from '@hyperzoo/schemas';
import type { TRunAttempt } from '@hyperzoo/schemas';

type TOutcome = NonNullable<TRunAttempt['outcome']>;

/** A timestamp column's value (Prisma keeps them as UTC without a zone), whatever the session's time zone. */
const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * A run's attempt `attempt` began on a worker. Earlier attempts still open ended without a word
 * from their worker (killed, stalled, lost): the job was retried, so they are `lost`. `worker`:
 * the worker's row if the caller read it already.
 */
export async function openAttempt(
  db: Db,
  input: { runId: string; attempt: number; workerId: string | null; backend: string; device: string; worker?: { name: string; hostname: string } | null },
): Promise<void> {
  const worker = input.worker !== undefined ? input.worker : input.workerId ? await db.worker.findUnique({ where: { id: input.workerId }, select: { name: true, hostname: true } }) : null;
  const now = new Date();
  // Raw: Prisma wraps an updateMany in a transaction of its own (three statements for one).
  await db.$executeRaw`
    UPDATE "RunAttempt" SET "endedAt" = ${utc(now)}, "outcome" = 'lost'
    WHERE "runId" = ${input.runId}::uuid AND "attempt" < ${input.attempt}::int AND "endedAt" IS NULL`;
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
  await db.$executeRaw`
    UPDATE "RunAttempt" SET "endedAt" = ${utc(new Date())}, "outcome" = ${outcome}, "error" = ${error},
      "backend" = COALESCE(${where.backend || null}, "backend"), "device" = COALESCE(${where.device || null}, "device")
    WHERE "runId" = ${runId}::uuid AND "endedAt" IS NULL`;
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
