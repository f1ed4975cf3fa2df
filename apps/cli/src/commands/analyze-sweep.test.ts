// `hz analyze <sweep-id>`: the real binary against the real API process, on a sweep whose runs are recorded.
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedOverfitSweep } from '@hyperzoo/api-routers/testing/sweep';

import { runHz, startApiProcess, type TApiProcess } from '../testing';

let api: TApiProcess;
let sweepId: string;
const env = () => ({ HZ_API_URL: api.url, HZ_API_KEY: api.seed.apiKey });

beforeAll(async () => {
  api = await startApiProcess();
  const project = await api.db.db.project.create({ data: { teamId: api.seed.teamId, slug: 'zoo', name: 'zoo' }, select: { id: true } });
  ({ sweepId } = await seedOverfitSweep(api.db.db, project.id));
}, 120_000);
afterAll(async () => {
  await api?.close();
});

describe('hz analyze <sweep-id>', { timeout: 180_000 }, () => {
  it('--json: analysis.sweep (a group per architecture, importance on the metric, the gap and the onset)', () => {
    const r = runHz(['analyze', sweepId, '--restore-best-weights', '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { groups: { key: string; runs: number; keep99: { patience: number | null } }[]; importance: { measure: string; architecture: string | null; ranking: { key: string }[] }[] };
    expect(out.groups.map((g) => [g.key, g.runs, g.keep99.patience])).toEqual([['lenet5', 8, 0], ['mlp', 8, 0]]);
    expect(out.importance.find((i) => i.measure === 'onsetEpoch' && i.architecture === null)?.ranking[0]?.key).toBe('dropout');
  });

  it('the human form: a table per architecture (mean +- sd, gap, onset, the 99% patience, epochs saved) and the rankings', () => {
    const r = runHz(['analyze', sweepId, '--restore-best-weights'], env());
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sweep dropout-overfits \(.+\): 16 runs analysed, metric val_accuracy \(maximize\)$/m);
    expect(r.stdout).toMatch(/^architecture +runs +params +best val_accuracy +gap at best +onset \(runs\) +patience 99% +epochs saved$/m);
    expect(r.stdout).toMatch(/^lenet5 +8 +61,706 +0\.9055 \+- 0\.0054 +0\.1586 \+- 0\.1155 +3\.0 \(4\/8\) +0 +1\.0$/m);
    expect(r.stdout).toMatch(/^ {2}onset epoch, all architectures \(8 configurations\): dropout 1\.00, /m);
  });

  it('bad input exits 2 with the reason; an unknown sweep answers NOT_FOUND (exit 1)', () => {
    const both = runHz(['analyze', sweepId, '--curve', 'x.json'], env());
    expect([both.status, both.stderr.trim()]).toEqual([2, 'hz analyze: give a sweep id or --curve FILE (one of them)']);
    const notId = runHz(['analyze', 'lenet'], env());
    expect([notId.status, notId.stderr.trim()]).toEqual([2, 'hz analyze: "lenet" is not a sweep id (a UUID, from hz sweep ls)']);
    const flag = runHz(['analyze', sweepId, '--patience', 'soon'], env());
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^hz analyze: invalid --patience: /);
    const missing = runHz(['analyze', randomUUID()], env());
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND: sweep .* not found/);
  });
});
