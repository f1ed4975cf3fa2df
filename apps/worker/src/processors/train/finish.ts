import { WaitingError } from 'bullmq';
import type { Logger } from 'pino';

import type { HyperzooClient } from '@hyperzoo/client';
import { withApiRetry } from '@hyperzoo/client/reporter';

import type { JobContext } from '../../processor';

/** Ends the run as failed with the error text (a no-op on a run that is already final). */
export async function reportFailure(api: HyperzooClient, runId: string, attempt: number, error: string): Promise<void> {
  await withApiRetry(() =>
    api.worker.finishRun.mutate({
      runId,
      attempt: Math.max(1, attempt),
      result: { status: 'failed', bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: null, backend: null, device: null, error },
    }),
  );
}

/** Graceful shutdown: the run goes back to queued and its job back to the queue; the next attempt resumes. */
export async function handBackRun(ctx: JobContext, runId: string, log: Logger): Promise<never> {
  await withApiRetry(() => ctx.deps.api.worker.releaseRun.mutate({ runId, reason: 'worker shut down; resumes from the last checkpoint' }));
  if (ctx.token) await ctx.job.moveToWait(ctx.token);
  log.info('handed the run back to the queue');
  throw new WaitingError();
}
