import { MAX_EPOCHS_PER_REPORT } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

import type { HyperzooClient } from '../client';
import { withApiRetry } from './retry';
import type { RetryOptions } from './retry';
import { EpochSpool } from './spool';

/** Reports per call in the normal flow; a backlog after an outage goes out in several calls. */
const BATCH = 100;

export interface EpochReporterOptions {
  /** A client with a worker-scoped API key. */
  api: HyperzooClient;
  runId: string;
  attempt: number;
  /** Spool file (see EpochSpool): undelivered reports survive the process. None: memory only. */
  spool?: { file: string; maxBytes?: number } | null;
  retry?: RetryOptions;
  /** Where a batch goes; default worker.reportEpochs (the SDK sends to sdk.logEpochs instead). */
  send?: (epochs: TEpochMetric[], backfill: boolean) => Promise<{ cancelRequested: boolean; pruneRequested?: boolean }>;
  /** Things worth a log line that are not failures (epochs dropped from a full spool). */
  onWarning?: (message: string) => void;
}

/**
 * Delivers epoch reports to the API in epoch order, one per epoch (a later report of an epoch
 * replaces an unsent one). While the API is unreachable they wait in memory and in the spool,
 * and go out when it is back; a new reporter on the same spool file replays them first.
 * Ingest is idempotent on (run, epoch), so a re-sent report never duplicates.
 */
export class EpochReporter {
  private readonly pending = new Map<number, TEpochMetric>();
  private readonly spool: EpochSpool | null;
  private draining: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** The API said the run should stop (answered with a report). */
  cancelRequested = false;
  /** The run's sweep cut it at a Hyperband rung (answered with a report). */
  pruneRequested = false;

  constructor(private readonly opts: EpochReporterOptions) {
    this.spool = opts.spool
      ? new EpochSpool(opts.spool.file, {
          maxBytes: opts.spool.maxBytes,
          onDrop: (epochs) => opts.onWarning?.(`report spool full: epochs ${epochs.join(', ')} left the spool file (still sent from memory)`),
        })
      : null;
    const replay = this.spool?.load() ?? [];
    for (const m of replay) this.pending.set(m.epoch, m);
    if (replay.length > 0) this.schedule(() => this.drain());
  }

  /** Reports an epoch: spooled, then sent in order. */
  push(metric: TEpochMetric): void {
    // The spool only guards against a crash: a full disk must not stop the reports themselves.
    try {
      this.spool?.add(metric);
    } catch (err) {
      this.opts.onWarning?.(`cannot write the report spool: ${(err as Error).message}`);
    }
    this.pending.set(metric.epoch, metric);
    this.schedule(() => this.drain());
  }

  /**
   * Epochs recovered from a checkpoint: stored where the run has none, never overwriting a
   * report. Sent after the reports queued so far (a replayed spool first).
   */
  backfill(metrics: readonly TEpochMetric[]): void {
    if (metrics.length === 0) return;
    this.schedule(async () => {
      for (let i = 0; i < metrics.length; i += MAX_EPOCHS_PER_REPORT) {
        const epochs = metrics.slice(i, i + MAX_EPOCHS_PER_REPORT);
        await this.send(epochs, true);
      }
    });
  }

  /** Resolves when every report so far is stored; throws the error of one that could not be. */
  async flush(): Promise<void> {
    await this.draining;
    if (this.failure) throw this.failure;
  }

  private schedule(task: () => Promise<void>): void {
    this.draining = this.draining.then(task).catch((err: unknown) => {
      this.failure = err instanceof Error ? err : new Error('an epoch report could not be delivered', { cause: err });
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = [...this.pending.values()].sort((a, b) => a.epoch - b.epoch).slice(0, BATCH);
      await this.send(batch, false);
      // A report of the same epoch pushed meanwhile is newer: it stays queued.
      for (const m of batch) if (this.pending.get(m.epoch) === m) this.pending.delete(m.epoch);
      try {
        this.spool?.remove(batch);
      } catch (err) {
        this.opts.onWarning?.(`cannot update the report spool: ${(err as Error).message}`);
      }
    }
  }

  private async send(epochs: TEpochMetric[], backfill: boolean): Promise<void> {
    const { api, runId, attempt, send } = this.opts;
    const res = await withApiRetry(
      () => (send ? send(epochs, backfill) : api.worker.reportEpochs.mutate({ runId, attempt, epochs, ...(backfill ? { backfill } : {}) })),
      this.opts.retry,
    );
    this.cancelRequested ||= res.cancelRequested;
    this.pruneRequested ||= res.pruneRequested ?? false;
  }
}
