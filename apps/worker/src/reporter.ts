import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { isRetryableClientError } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';
import { ZEpochMetric } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

/** Retries a call to the API while the failure is transient (API down, 5xx), with capped exponential backoff. */
export async function withApiRetry<T>(fn: () => Promise<T>, opts: { signal?: AbortSignal; maxDelayMs?: number; deadlineMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.deadlineMs ?? 30 * 60_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryableClientError(err) || Date.now() > deadline || opts.signal?.aborted) throw err;
      await sleep(Math.min(opts.maxDelayMs ?? 10_000, 250 * 2 ** attempt));
    }
  }
}

/**
 * Delivers epoch reports in order; while the API is unreachable they wait and go out later.
 * Undelivered reports are also appended to a spool file next to the run's checkpoints, so a
 * worker that dies while the API is down replays them on the next attempt. Ingest is
 * idempotent on (run, epoch), so a re-sent report never duplicates.
 */
export class EpochReporter {
  private readonly pending: TEpochMetric[] = [];
  private draining: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  cancelRequested = false;

  constructor(
    private readonly api: HyperzooClient,
    private readonly runId: string,
    private readonly attempt: number,
    private readonly spoolFile: string | null = null,
  ) {
    if (spoolFile && existsSync(spoolFile)) {
      const lines = readFileSync(spoolFile, 'utf8').split('\n').filter(Boolean);
      for (const line of lines) {
        const parsed = ZEpochMetric.safeParse(JSON.parse(line));
        if (parsed.success) this.enqueue(parsed.data);
      }
    }
  }

  /** Epochs a checkpoint holds: stored where missing (a report lost with a dead worker), never overwritten. */
  backfill(metrics: TEpochMetric[]): void {
    if (metrics.length === 0) return;
    this.draining = this.draining
      .then(async () => {
        for (let i = 0; i < metrics.length; i += 1000) {
          const epochs = metrics.slice(i, i + 1000);
          await withApiRetry(() => this.api.worker.reportEpochs.mutate({ runId: this.runId, attempt: this.attempt, epochs, backfill: true }));
        }
      })
      .catch((err: unknown) => {
        this.failure = err;
      });
  }

  push(metric: TEpochMetric): void {
    if (this.spoolFile) appendFileSync(this.spoolFile, `${JSON.stringify(metric)}\n`);
    this.enqueue(metric);
  }

  private enqueue(metric: TEpochMetric): void {
    this.pending.push(metric);
    this.draining = this.draining.then(() => this.drain()).catch((err: unknown) => {
      this.failure = err;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, 100);
      const res = await withApiRetry(() => this.api.worker.reportEpochs.mutate({ runId: this.runId, attempt: this.attempt, epochs: batch }));
      this.pending.splice(0, batch.length);
      this.cancelRequested ||= res.cancelRequested;
    }
    // Everything is stored: the spool has nothing left to replay.
    if (this.spoolFile) rmSync(this.spoolFile, { force: true });
  }

  /** Resolves when every report so far is stored; throws if one could not be delivered. */
  async flush(): Promise<void> {
    await this.draining;
    if (this.failure) throw this.failure instanceof Error ? this.failure : new Error('could not report epochs', { cause: this.failure });
  }
}
