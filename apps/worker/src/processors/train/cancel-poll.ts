import type { HyperzooClient } from '@hyperzoo/client';

const CANCEL_POLL_MS = 2_000;

/**
 * Asks the API every 2 s whether the run should stop (an epoch report's answer says so too,
 * via isRequested). Returns the function that stops polling.
 */
export function pollCancellation(opts: { api: HyperzooClient; runId: string; isRequested: () => boolean; onCancel: () => void }): () => void {
  const timer = setInterval(() => {
    if (opts.isRequested()) return opts.onCancel();
    opts.api.worker.runControl
      .query({ runId: opts.runId })
      .then((c) => c.cancelRequested && opts.onCancel())
      .catch(() => undefined);
  }, CANCEL_POLL_MS);
  return () => clearInterval(timer);
}
