import { existsSync } from 'node:fs';

import type { Logger } from 'pino';

import type { ArtifactClient } from '@hyperzoo/client/artifacts';
import { withApiRetry } from '@hyperzoo/client/reporter';
import type { TArtifactKind } from '@hyperzoo/schemas';

import type { TTrainerCheckpoint } from '../../trainer-process';

/**
 * Uploads each checkpoint the trainer writes to the API's artifact store (which records it), one
 * at a time, so a run can resume on any host. A `best` checkpoint is uploaded once, flagged as the
 * best: the API stores it as `best` too and records both rows together, so once a checkpoint is in
 * the store, so is the best one up to its epoch, however the worker dies after. An API that does
 * not answer `best` gets it uploaded a second time, as `best`.
 */
export class CheckpointUploader {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly artifacts: ArtifactClient,
    private readonly run: { runId: string; attempt: number },
    private readonly log: Logger,
  ) {}

  private enqueue(kind: TArtifactKind, epoch: number | null, dir: string, alsoBest = false): void {
    this.chain = this.chain
      .then(async () => {
        // The trainer keeps only the newest and the best checkpoint; a newer one supersedes a pruned one.
        const sent = await this.upload(kind, epoch, dir, alsoBest);
        this.log.debug({ kind, epoch, bytes: sent?.bytes ?? null, best: sent?.best ?? null }, sent ? 'artifact uploaded' : 'checkpoint pruned before its upload');
        if (sent && alsoBest && !sent.best) await this.upload('best', null, dir, false);
      })
      .catch((err: Error) => this.log.warn({ err: err.message, kind, epoch }, 'could not upload artifact'));
  }

  private upload(kind: TArtifactKind, epoch: number | null, dir: string, alsoBest: boolean) {
    return withApiRetry(async () => (existsSync(dir) ? this.artifacts.upload({ ...this.run, kind, epoch, dir, alsoBest }) : null), { deadlineMs: 5 * 60_000 });
  }

  record(checkpoint: TTrainerCheckpoint): void {
    this.enqueue('checkpoint', checkpoint.epoch, checkpoint.dir, checkpoint.isBest);
  }

  /** The trained model (`final`), uploaded before the run is reported finished. */
  recordModel(dir: string): void {
    this.enqueue('model', null, dir);
  }

  /** Resolves when every upload so far is done (or given up on, with a warning). */
  idle(): Promise<void> {
    return this.chain;
  }
}
