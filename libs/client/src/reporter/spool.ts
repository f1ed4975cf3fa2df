import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

import { ZEpochMetric } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

/** 1 MiB, about 5,000 epoch reports (one is ~200 bytes of JSON). */
export const DEFAULT_SPOOL_MAX_BYTES = 1024 * 1024;
const MIN_SPOOL_BYTES = 4096;

export interface EpochSpoolOptions {
  maxBytes?: number;
  /** Told which epochs left the file at the cap, oldest first. */
  onDrop?: (epochs: number[]) => void;
}

interface Entry {
  metric: TEpochMetric;
  line: string;
  bytes: number;
}

/**
 * Epoch reports the API has not stored yet, one JSON line each, so a process that dies while
 * the API is down replays them on its next start. Bounded by maxBytes: when a line would take
 * the file past it, the file is rewritten with only the undelivered epochs (one line each);
 * if those still do not fit, the OLDEST epochs leave the file (onDrop names them). The newest
 * are the ones nothing else holds: a worker's checkpoint history has the older ones, and the
 * reporter keeps every epoch in memory and delivers it while the process lives.
 */
export class EpochSpool {
  private readonly live = new Map<number, Entry>();
  private fileBytes = 0;
  private readonly maxBytes: number;

  constructor(
    readonly file: string,
    private readonly opts: EpochSpoolOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    if (this.maxBytes < MIN_SPOOL_BYTES) throw new Error(`spool maxBytes must be at least ${MIN_SPOOL_BYTES}, got ${this.maxBytes}`);
  }

  /**
   * What an earlier process left, oldest epoch first, one report per epoch (the later line
   * wins). A torn last line (a crash mid-write) or any unreadable one is skipped, and the file
   * rewritten so the next line does not land on it.
   */
  load(): TEpochMetric[] {
    if (!existsSync(this.file)) return [];
    const text = readFileSync(this.file, 'utf8');
    let isClean = text === '' || text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const metric = parseLine(line);
      if (!metric) {
        isClean = false;
        continue;
      }
      this.live.delete(metric.epoch);
      this.live.set(metric.epoch, toEntry(metric));
    }
    this.fileBytes = Buffer.byteLength(text);
    if (!isClean || this.fileBytes > this.maxBytes) this.rewrite();
    return this.entries().map((e) => e.metric);
  }

  /** Spools a report before it is sent; it replaces an undelivered one of the same epoch. */
  add(metric: TEpochMetric): void {
    const entry = toEntry(metric);
    this.live.delete(metric.epoch);
    this.live.set(metric.epoch, entry);
    if (this.fileBytes + entry.bytes <= this.maxBytes) {
      appendFileSync(this.file, entry.line);
      this.fileBytes += entry.bytes;
    } else {
      this.rewrite();
    }
  }

  /** The API stored these reports: they leave the spool; the file goes when nothing is left. */
  remove(metrics: readonly TEpochMetric[]): void {
    for (const m of metrics) if (this.live.get(m.epoch)?.metric === m) this.live.delete(m.epoch);
    if (this.live.size === 0) {
      rmSync(this.file, { force: true });
      this.fileBytes = 0;
    }
  }

  /** Undelivered epochs the file holds, oldest first. */
  epochs(): number[] {
    return this.entries().map((e) => e.metric.epoch);
  }

  private entries(): Entry[] {
    return [...this.live.values()].sort((a, b) => a.metric.epoch - b.metric.epoch);
  }

  /** Writes the undelivered epochs that fit (the newest), via a temp file and a rename. */
  private rewrite(): void {
    const kept = this.entries();
    let total = kept.reduce((sum, e) => sum + e.bytes, 0);
    const dropped: number[] = [];
    while (total > this.maxBytes) {
      const oldest = kept.shift() as Entry;
      this.live.delete(oldest.metric.epoch);
      dropped.push(oldest.metric.epoch);
      total -= oldest.bytes;
    }
    if (kept.length === 0) {
      rmSync(this.file, { force: true });
    } else {
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, kept.map((e) => e.line).join(''));
      renameSync(tmp, this.file);
    }
    this.fileBytes = total;
    if (dropped.length > 0) this.opts.onDrop?.(dropped);
  }
}

function toEntry(metric: TEpochMetric): Entry {
  const line = `${JSON.stringify(metric)}\n`;
  return { metric, line, bytes: Buffer.byteLength(line) };
}

function parseLine(line: string): TEpochMetric | null {
  try {
    const parsed = ZEpochMetric.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
