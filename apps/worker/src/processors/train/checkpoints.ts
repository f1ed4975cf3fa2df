import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import type { Logger } from 'pino';

import type { HyperzooClient } from '@hyperzoo/client';
import { withApiRetry } from '@hyperzoo/client/reporter';

import type { TTrainerCheckpoint } from '../../trainer-process';

/** Size and a content hash of a checkpoint directory (files in name order: name, then bytes). */
export async function describeDir(dir: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const name of (await readdir(dir)).sort()) {
    const file = path.join(dir, name);
    if (!(await stat(file)).isFile()) continue;
    const data = await readFile(file);
    bytes += data.byteLength;
    hash.update(name).update('\0').update(data);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Records each checkpoint the trainer writes as an artifact (path relative to the store's root), one at a time. */
export class CheckpointRecorder {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: HyperzooClient,
    private readonly runId: string,
    private readonly artifactRoot: string,
    private readonly log: Logger,
  ) {}

  record(checkpoint: TTrainerCheckpoint): void {
    const rel = path.relative(this.artifactRoot, checkpoint.dir).split(path.sep).join('/');
    const kinds = checkpoint.isBest ? (['checkpoint', 'best'] as const) : (['checkpoint'] as const);
    this.chain = this.chain
      .then(async () => {
        const { bytes, sha256 } = await describeDir(checkpoint.dir);
        for (const kind of kinds) {
          const epoch = kind === 'best' ? null : checkpoint.epoch;
          await withApiRetry(() => this.api.worker.recordArtifact.mutate({ runId: this.runId, kind, epoch, path: rel, bytes, sha256 }));
        }
      })
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not record checkpoint artifact'));
  }

  /** Resolves when every checkpoint so far is recorded (or given up on, with a warning). */
  idle(): Promise<void> {
    return this.chain;
  }
}
