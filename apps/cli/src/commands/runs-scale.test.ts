// hz runs ls/tag/note/rm/export and hz leaderboard: the real binary against the real API process.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHyperzooClient } from '@hyperzoo/client';

import { runHz, startApiProcess } from '../testing';
import type { TApiProcess } from '../testing';

let api: TApiProcess;
let dir: string;
const ids: Record<'adam' | 'sgd' | 'lenet', string> = { adam: '', sgd: '', lenet: '' };
const env = () => ({ HZ_API_URL: api.url, HZ_API_KEY: api.seed.apiKey });
const ok = (args: string[]) => {
  const r = runHz(args, env());
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const json = <T>(args: string[]): T => JSON.parse(ok([...args, '--json'])) as T;

beforeAll(async () => {
  api = await startApiProcess();
  dir = mkdtempSync(path.join(tmpdir(), 'hz-runs-'));
  const client = createHyperzooClient({ url: api.url, apiKey: api.seed.apiKey });
  const make = async (architecture: 'mlp' | 'lenet5', optimizer: 'adam' | 'sgd', valAccuracy: number, testAccuracy: number | null) => {
    const run = await client.sdk.createRun.mutate({ teamSlug: api.seed.teamSlug, runId: randomUUID(), config: { architecture, epochs: 2, optimizer: { name: optimizer, learningRate: 0.01 }, data: { dataset: 'mnist' } } });
    const epoch = (n: number, va: number) => ({ epoch: n, loss: 1 / n, accuracy: 0.9, val_loss: 1.1 / n, val_accuracy: va, lr: null, duration_ms: 10, images_per_sec: null });
    await client.sdk.logEpochs.mutate({ runId: run.id, epochs: [epoch(1, valAccuracy - 0.1), epoch(2, valAccuracy)] });
    await client.sdk.finishRun.mutate({ runId: run.id, result: { status: 'succeeded', bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy, paramCount: 10, backend: null, device: null, error: null } });
    return run.id;
  };
  ids.adam = await make('mlp', 'adam', 0.9, 0.88);
  ids.sgd = await make('mlp', 'sgd', 0.7, null);
  ids.lenet = await make('lenet5', 'adam', 0.8, 0.95);
}, 120_000);
afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type TPage = { runs: { id: string; tags: string[]; notes: string | null }[]; nextCursor: string | null };

describe('hz runs', { timeout: 240_000 }, () => {
  it('ls filters by config key, architecture and metric, and sorts by a summary metric', () => {
    expect(json<TPage>(['runs', 'ls', '--sort', '-val_accuracy']).runs.map((r) => r.id)).toEqual([ids.adam, ids.lenet, ids.sgd]);
    expect(json<TPage>(['runs', 'ls', '--where', 'optimizer.name=adam', '--arch', 'mlp', '--min', 'val_accuracy=0.5']).runs.map((r) => r.id)).toEqual([ids.adam]);
    const bad = runHz(['runs', 'ls', '--sort', '-f1'], env());
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown sort key "f1"/);
  });

  it('tag, note and rm change the run; ls --tag and --deleted see it', () => {
    expect(json<{ tags: string[] }>(['runs', 'tag', ids.sgd, 'baseline', 'slow']).tags).toEqual(['baseline', 'slow']);
    expect(json<{ tags: string[] }>(['runs', 'tag', ids.sgd, 'slow', '--remove']).tags).toEqual(['baseline']);
    expect(json<{ notes: string }>(['runs', 'note', ids.sgd, 'lr too low']).notes).toBe('lr too low');
    expect(json<TPage>(['runs', 'ls', '--tag', 'baseline']).runs.map((r) => r.id)).toEqual([ids.sgd]);
    ok(['runs', 'rm', ids.sgd]);
    expect(json<TPage>(['runs', 'ls']).runs.map((r) => r.id)).not.toContain(ids.sgd);
    expect(ok(['runs', 'ls', '--deleted'])).toMatch(/\(deleted\)/);
    ok(['runs', 'rm', '--restore', ids.sgd]);
    expect(json<TPage>(['runs', 'ls']).runs.map((r) => r.id)).toContain(ids.sgd);
  });

  it('export streams the filtered runs as CSV to stdout, and their epochs as JSON to a file', () => {
    const csv = ok(['runs', 'export', '--where', 'optimizer.name=adam']).trimEnd().split('\n');
    expect(csv[0]).toMatch(/^id,name,project/);
    expect(csv.slice(1).map((l) => l.split(',')[0]).sort()).toEqual([ids.adam, ids.lenet].sort());
    const out = path.join(dir, 'epochs.json');
    ok(['runs', 'export', '--epochs', '--format', 'json', '--arch', 'lenet5', '--out', out]);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { runId: string }[]).map((e) => e.runId)).toEqual([ids.lenet, ids.lenet]);
    const bad = runHz(['runs', 'export', '--where', 'bad key=1'], env());
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/export failed \(400\).*config/);
  });
});

describe('hz leaderboard', { timeout: 120_000 }, () => {
  it('ranks architectures by test accuracy with the validation fallback, and per run with --by run', () => {
    const byArch = json<{ rows: { runId: string; scoreFrom: string }[] }>(['leaderboard', 'mnist']);
    expect(byArch.rows.map((r) => r.runId)).toEqual([ids.lenet, ids.adam]);
    const byRun = json<{ rows: { runId: string; scoreFrom: string }[] }>(['leaderboard', 'mnist', '--by', 'run']);
    expect(byRun.rows.map((r) => [r.runId, r.scoreFrom])).toEqual([
      [ids.lenet, 'test'],
      [ids.adam, 'test'],
      [ids.sgd, 'validation'],
    ]);
    expect(ok(['leaderboard', 'mnist'])).toMatch(/lenet5\t0\.95\ttest/);
  });
});
