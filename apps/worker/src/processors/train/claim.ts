import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

import { describeClientError, getErrorCode } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';
import { withApiRetry } from '@hyperzoo/client/reporter';
import type { TBackendPreference } from '@hyperzoo/schemas';

/**
 * Marks the run running (attempt n+1). Null when it is already final (cancelled while queued,
 * say): nothing to do. A run the token cannot see is unrecoverable.
 */
export async function claimRun(
  api: HyperzooClient,
  input: { runId: string; workerId: string | null; backend: TBackendPreference },
  log: Logger,
): Promise<{ attempt: number; cancelRequested: boolean; rungEpochs: number[] } | null> {
  try {
    return await withApiRetry(() => api.worker.startRun.mutate({ ...input, device: 'pending' }));
  } catch (err) {
    const code = getErrorCode(err);
    if (code === 'PRECONDITION_FAILED') {
      log.info({ runId: input.runId }, describeClientError(err));
      return null;
    }
    if (code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'UNAUTHORIZED') throw new UnrecoverableError(describeClientError(err));
    throw err;
  }
}
