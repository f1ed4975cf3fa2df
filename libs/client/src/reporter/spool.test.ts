import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { TEpochMetric } from '@hyperzoo/schemas';

import { EpochSpool } from './spool';

const metric = (epoch: number, loss = 0.25): TEpochMetric => ({
  epoch,
  phase: 'train',
  loss,
  accuracy: 0.5,
  val_loss: loss + 0.1,
  val_accuracy: 0.4,
  lr: 0.001,
  duration_ms: 1234.5,
  images_per_sec: 2000,
});
const lineBytes = (m: TEpochMetric) => Buffer.byteLength(`${JSON.stringify(m)}\n`);
const fileEpochs = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as TEpochMetric).epoch);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hz-spool-'));
  file = path.join(dir, 'pending-epochs.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('EpochSpool', () => {
  it('gives a new process back what the last one spooled: oldest epoch first, the later report of an epoch winning', () => {
    const first = new EpochSpool(file);
    first.add(metric(2));
    first.add(metric(1));
    first.add(metric(2, 0.123));
    first.add(metric(3));
    const replay = new EpochSpool(file).load();
    expect(replay.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(replay[1]?.loss).toBe(0.123);
  });

  it('skips a torn last line and repairs the file, so the next line is not glued to it', () => {
    writeFileSync(file, `${JSON.stringify(metric(1))}\n${JSON.stringify(metric(2)).slice(0, 25)}`);
    const spool = new EpochSpool(file);
    expect(spool.load().map((m) => m.epoch)).toEqual([1]);
    spool.add(metric(2));
    expect(new EpochSpool(file).load().map((m) => m.epoch)).toEqual([1, 2]);
  });

  it('drops delivered reports and deletes the file once nothing is left', () => {
    const spool = new EpochSpool(file);
    const [a, b] = [metric(1), metric(2)];
    spool.add(a);
    spool.add(b);
    spool.remove([a]);
    expect(spool.epochs()).toEqual([2]);
    // A newer report of epoch 2 pushed while the old one was in flight stays.
    const newer = metric(2, 0.01);
    spool.add(newer);
    spool.remove([b]);
    expect(spool.epochs()).toEqual([2]);
    spool.remove([newer]);
    expect(existsSync(file)).toBe(false);
  });

  it('is bounded: at the cap the oldest epochs leave the file, and it says which', () => {
    const maxBytes = 4096;
    const perLine = lineBytes(metric(100));
    const fits = Math.floor(maxBytes / perLine);
    const dropped: number[] = [];
    const spool = new EpochSpool(file, { maxBytes, onDrop: (epochs) => dropped.push(...epochs) });
    const total = fits + 5;
    for (let e = 100; e < 100 + total; e++) spool.add(metric(e));
    expect(statSync(file).size).toBeLessThanOrEqual(maxBytes);
    const kept = fileEpochs(file);
    expect(kept).toHaveLength(fits);
    expect(kept.at(-1)).toBe(100 + total - 1);
    expect(dropped).toEqual(Array.from({ length: total - fits }, (_, i) => 100 + i));
    expect([...dropped, ...kept]).toEqual(Array.from({ length: total }, (_, i) => 100 + i));
    expect(new EpochSpool(file, { maxBytes }).load().map((m) => m.epoch)).toEqual(kept);
  });

  it('at the cap first rewrites without delivered and duplicate lines, dropping nothing that fits', () => {
    const maxBytes = 4096;
    const fits = Math.floor(maxBytes / lineBytes(metric(100)));
    const dropped: number[] = [];
    const spool = new EpochSpool(file, { maxBytes, onDrop: (epochs) => dropped.push(...epochs) });
    const delivered = Array.from({ length: fits - 2 }, (_, i) => metric(100 + i));
    for (const m of delivered) spool.add(m);
    spool.add(metric(200));
    spool.remove(delivered);
    for (let e = 201; e < 205; e++) spool.add(metric(e));
    expect(dropped).toEqual([]);
    expect(fileEpochs(file)).toEqual([200, 201, 202, 203, 204]);
  });

  it('trims a file over the cap (written under a larger one) when it loads it', () => {
    const big = new EpochSpool(file, { maxBytes: 64 * 1024 });
    for (let e = 1; e <= 60; e++) big.add(metric(e));
    const dropped: number[] = [];
    const small = new EpochSpool(file, { maxBytes: 4096, onDrop: (epochs) => dropped.push(...epochs) });
    const kept = small.load();
    expect(statSync(file).size).toBeLessThanOrEqual(4096);
    expect(kept.at(-1)?.epoch).toBe(60);
    expect(dropped[0]).toBe(1);
    expect(dropped.length + kept.length).toBe(60);
  });

  it('refuses a cap too small to hold a few reports', () => {
    expect(() => new EpochSpool(file, { maxBytes: 100 })).toThrow(/at least 4096/);
  });
});
