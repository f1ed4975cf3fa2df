import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { ZEpochMetric, ZRunConfig, ZRunResult, ZSlug } from '@hyperzoo/schemas';
import type { TEpochMetric, TRunConfig, TRunResult } from '@hyperzoo/schemas';

const RUN_FILE = 'run.json';
const EPOCHS_FILE = 'epochs.jsonl';
const RESULT_FILE = 'result.json';

/** What `hz.init` knew about the run when it was written offline; read back by `hz sync`. */
const ZOfflineRun = z.object({
  version: z.literal(1),
  runId: z.uuid(),
  /** null: the team of the key that syncs it. */
  teamSlug: ZSlug.nullable(),
  projectSlug: ZSlug,
  name: z.string().min(1).max(200).nullable(),
  config: ZRunConfig,
  createdAt: z.iso.datetime(),
});
type TOfflineRun = z.infer<typeof ZOfflineRun>;

/**
 * A run logged without the API, W&B-style: one directory with run.json, epochs.jsonl (one
 * report a line, a later line of the same epoch wins) and result.json once it ended.
 */
export class OfflineRunDir {
  constructor(readonly dir: string) {}

  static create(dir: string, run: { runId: string; teamSlug: string | null; projectSlug: string; name: string | null; config: TRunConfig }): OfflineRunDir {
    mkdirSync(dir, { recursive: true });
    const record: TOfflineRun = { version: 1, ...run, createdAt: new Date().toISOString() };
    writeFileSync(path.join(dir, RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
    return new OfflineRunDir(dir);
  }

  addEpoch(metric: TEpochMetric): void {
    appendFileSync(path.join(this.dir, EPOCHS_FILE), `${JSON.stringify(metric)}\n`);
  }

  finish(result: TRunResult): void {
    writeFileSync(path.join(this.dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  }

  readRun(): TOfflineRun {
    const file = path.join(this.dir, RUN_FILE);
    if (!existsSync(file)) throw new Error(`${this.dir} is not an offline run (no ${RUN_FILE})`);
    return ZOfflineRun.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  /** One report per epoch, oldest first; a torn last line (a crash mid-write) is skipped. */
  readEpochs(): TEpochMetric[] {
    const file = path.join(this.dir, EPOCHS_FILE);
    if (!existsSync(file)) return [];
    const byEpoch = new Map<number, TEpochMetric>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const parsed = ZEpochMetric.safeParse(safeJson(line));
      if (parsed.success) byEpoch.set(parsed.data.epoch, parsed.data);
    }
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  }

  readResult(): TRunResult | null {
    const file = path.join(this.dir, RESULT_FILE);
    return existsSync(file) ? ZRunResult.parse(JSON.parse(readFileSync(file, 'utf8'))) : null;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
