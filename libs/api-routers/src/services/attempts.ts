import type { Db } from '@hyperzoo/db';

import { closeAttempts } from './attempt-history';
import { storeRunSummary } from './run-summary';

/** Starts a run may take (crashes, lost workers, hand-backs) before it ends failed instead of re-queued. */
export const MAX_RUN_ATTEMPTS = 5;

/** Ends an active run as failed with the last reason (given, or the stored one); a no-op on a run that is already final. */
export async function failOutOfAttempts(db: Db, runId: string, lastError?: string): Promise<boolean> {
  const last = lastError ?? (await db.run.findUnique({ where: { id: runId }, select: { error: true } }))?.error;
  const reason = `retry budget exhausted after ${MAX_RUN_ATTEMPTS} attempts${last ? `; last error: ${last}` : ''}`;
  const res = await db.run.updateMany({
    where: { id: runId, status: { in: ['queued', 'running'] } },
    data: { status: 'failed', error: reason, workerId: null, finishedAt: new Date() },
  });
  if (res.count === 1) {
    await closeAttempts(db, runId, 'failed', reason);
    await storeRunSummary(db, runId);
  }
  return res.count === 1;
}
