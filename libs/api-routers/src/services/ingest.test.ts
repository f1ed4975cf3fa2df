import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';

import { recordArtifact } from './ingest';

let t: TestDatabase;
let teamId: string;
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  teamId = (await t.db.team.create({ data: { slug: 'i', name: 'i' } })).id;
  projectId = (await t.db.project.create({ data: { teamId, slug: 'p', name: 'p' } })).id;
});
afterAll(async () => {
  await t?.drop();
});

// Artifacts land only in a running run (ingest-state.test.ts).
const newRun = async () =>
  (await t.db.run.create({ data: { projectId, name: 'r', config: {}, architecture: 'mlp', dataset: 'fashion-mnist', status: 'running', attempt: 1 } })).id;
const artifact = (runId: string, kind: 'best' | 'checkpoint', epoch: number | null, i: number) => ({
  runId,
  kind,
  epoch,
  path: `${runId}/${kind}-${i}`,
  bytes: 2 ** 53 - 1 - i,
  sha256: i.toString(16).padStart(64, '0'),
});

describe('recordArtifact', () => {
  it.each([
    ['best', null],
    ['checkpoint', 5],
  ] as const)('keeps one %s artifact per run under 10 concurrent records, each of which succeeds', async (kind, epoch) => {
    const runId = await newRun();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => recordArtifact(t.db, { teamId, servesPlatformPool: false }, artifact(runId, kind, epoch, i))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await t.db.artifact.findMany({ where: { runId } });
    expect(rows).toHaveLength(1);
    // One of the ten, whole: path, size and hash from the same call.
    const i = Number.parseInt(rows[0]?.sha256 ?? '', 16);
    expect(rows[0]).toMatchObject({ kind, epoch, path: `${runId}/${kind}-${i}`, bytes: BigInt(2 ** 53 - 1 - i) });
  });

  it('records the newest write, one row per kind and epoch', async () => {
    const runId = await newRun();
    await recordArtifact(t.db, { teamId, servesPlatformPool: false }, artifact(runId, 'checkpoint', 1, 1));
    await recordArtifact(t.db, { teamId, servesPlatformPool: false }, artifact(runId, 'checkpoint', 2, 2));
    await recordArtifact(t.db, { teamId, servesPlatformPool: false }, artifact(runId, 'best', null, 3));
    await recordArtifact(t.db, { teamId, servesPlatformPool: false }, artifact(runId, 'best', null, 4));
    await recordArtifact(t.db, { teamId, servesPlatformPool: false }, artifact(runId, 'checkpoint', 2, 5));
    const rows = await t.db.artifact.findMany({ where: { runId }, orderBy: [{ kind: 'asc' }, { epoch: 'asc' }] });
    expect(rows.map((r) => [r.kind, r.epoch, r.path])).toEqual([
      ['best', null, `${runId}/best-4`],
      ['checkpoint', 1, `${runId}/checkpoint-1`],
      ['checkpoint', 2, `${runId}/checkpoint-5`],
    ]);
  });

  it('refuses another team’s run', async () => {
    const runId = await newRun();
    const other = (await t.db.team.create({ data: { slug: 'other', name: 'o' } })).id;
    await expect(recordArtifact(t.db, { teamId: other, servesPlatformPool: false }, artifact(runId, 'best', null, 1))).rejects.toThrow(/not found/);
    expect(await t.db.artifact.count({ where: { runId } })).toBe(0);
  });
});
