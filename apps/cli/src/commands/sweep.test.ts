// `hz sweep create/watch/ls/show/pause/resume/cancel`: the real binary against the real API
// process and a real worker training tiny MLPs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TSweepDetail, TSweepSummary } from '@hyperzoo/schemas';

import { runHz, startApiProcess, startWorkerProcess, type TApiProcess } from '../testing';

let api: TApiProcess;
let worker: ReturnType<typeof startWorkerProcess>;
let dir: string;
const env = () => ({ HZ_API_URL: api.url, HZ_API_KEY: api.seed.apiKey });
const json = <T>(r: { status: number | null; stdout: string; stderr: string }): T => {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

/** A grid over the MLP's activation: tiny runs (100 images) of `epochs` epochs. */
const spec = (name: string, epochs: number, extra = '') => {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
architectures: [mlp]
dataset: { dataset: fashion-mnist, subsetPerClass: 10, validationSize: 0.2, testPerClass: 5 }
method: grid
metric: { name: val_accuracy }
maxConcurrent: 1
parameters:
  activation: { values: [relu, sigmoid] }
  epochs: { value: ${epochs} }
  batchSize: { value: 16 }
${extra}`,
  );
  return file;
};

beforeAll(async () => {
  api = await startApiProcess();
  worker = startWorkerProcess(api);
  dir = mkdtempSync(path.join(tmpdir(), 'hz-cli-sweeps-'));
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hz sweep against the API', { timeout: 400_000 }, () => {
  let finishedId: string;

  it('create --watch --json: the sweep runs to its end; one JSON object with its last state', () => {
    const r = runHz(['sweep', 'create', '-f', spec('activations', 1), '--project', 'cli', '--watch', '--json'], env(), undefined, 360_000);
    const done = json<TSweepDetail>(r);
    expect(done).toMatchObject({ name: 'activations', status: 'finished', projectSlug: 'cli', counts: { succeeded: 2, failed: 0 } });
    expect(done.best?.value).toBe(Math.max(...done.runs.map((x) => x.bestValue ?? -1)));
    // Progress went to stderr (no terminal here: a line per change), ending with the finished state.
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^activations finished: succeeded 2 of 2 runs; best val_accuracy [\d.]+ \(run [0-9a-f-]+\)$/);
    finishedId = done.id;
  });

  it('ls and show: the sweep with its counts, best runs, marginals and importance', () => {
    const page = json<{ items: { id: string; status: string; counts: Record<string, number> }[] }>(runHz(['sweep', 'ls', '--json'], env()));
    expect(page.items.find((s) => s.id === finishedId)).toMatchObject({ status: 'finished', counts: { succeeded: 2 } });
    expect(runHz(['sweep', 'ls', '--status', 'finished'], env()).stdout).toMatch(new RegExp(`^${finishedId}  finished +cli  activations  grid  succeeded 2  best [\\d.]+$`, 'm'));
    expect(runHz(['sweep', 'ls', '--status', 'done'], env()).status).not.toBe(0);

    const shown = json<TSweepDetail & { summary: TSweepSummary }>(runHz(['sweep', 'show', finishedId, '--json'], env()));
    expect(shown.summary.bestRuns).toHaveLength(2);
    expect(shown.summary.marginals.map((m) => m.key)).toContain('activation');
    const text = runHz(['sweep', 'show', finishedId], env());
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^best runs \(val_accuracy, maximize\):$/m);
    expect(text.stdout).toMatch(/^ {4}(relu|sigmoid) +[\d.]+ \+- [\d.]+ +best [\d.]+ +n 1$/m);
    expect(text.stdout).toMatch(/^importance \(fANOVA\): /m);
  });

  it('pause, resume and cancel; watch on a cancelled sweep exits 3', () => {
    // Runs of the most epochs a config allows: however fast the worker, these sweeps cannot
    // finish before they are paused and cancelled.
    const created = json<{ sweepId: string; runs: number }>(runHz(['sweep', 'create', '-f', spec('to-cancel', 10_000), '--json'], env()));
    expect(created.runs).toBe(2);
    const out = runHz(['sweep', 'create', '-f', spec('printed', 10_000)], env());
    expect(out.stdout.trim()).toMatch(/^sweep [0-9a-f-]+: 2 runs, 1 queued now\nwatch it: hz sweep watch [0-9a-f-]+$/);
    const printedId = /watch ([0-9a-f-]+)/.exec(out.stdout)?.[1] as string;

    expect(json<{ status: string }>(runHz(['sweep', 'pause', created.sweepId, '--json'], env())).status).toBe('paused');
    expect(runHz(['sweep', 'resume', created.sweepId], env()).stdout).toMatch(new RegExp(`^${created.sweepId}: running`));
    for (const id of [created.sweepId, printedId]) expect(json<{ status: string }>(runHz(['sweep', 'cancel', id, '--json'], env())).status).toBe('cancelled');

    const watched = runHz(['sweep', 'watch', created.sweepId], env(), undefined, 120_000);
    expect(watched.status).toBe(3);
    expect(watched.stdout).toMatch(new RegExp(`^${created.sweepId} cancelled: `));
  });

  it('a bad spec is refused before any call (path and line, exit 2), and creates nothing', () => {
    const bad = runHz(['sweep', 'create', '-f', spec('bad', 1, 'repeats: 0\n'), '--json'], env());
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim()).toMatch(/^hz sweep: .*bad\.yaml:11:10: repeats: /);
    expect(bad.status).toBe(2);
    const page = json<{ items: { name: string }[] }>(runHz(['sweep', 'ls', '--json'], env()));
    expect(page.items.map((s) => s.name)).not.toContain('bad');
    const missing = runHz(['sweep', 'show', crypto.randomUUID()], env());
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND: sweep .* not found/);
  });
});
