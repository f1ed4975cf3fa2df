// Hand-written migrations, run against data of the shape they clean up.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase } from './testing';
import type { TestDatabase } from './testing';

const migration = (name: string) => readFileSync(fileURLToPath(new URL(`../../../prisma/migrations/${name}/migration.sql`, import.meta.url)), 'utf8');

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('20261130011000_artifact_unique_including_best', () => {
  it('keeps the newest of each duplicate set, then refuses a second best artifact', async () => {
    const sql = new pg.Client({ connectionString: t.url });
    await sql.connect();
    try {
      // The index as it was before: NULL epochs distinct, so duplicates of `best` could be written.
      await sql.query('DROP INDEX "Artifact_runId_kind_epoch_key"');
      await sql.query('CREATE UNIQUE INDEX "Artifact_runId_kind_epoch_key" ON "Artifact"("runId", "kind", "epoch")');
      const team = await t.db.team.create({ data: { slug: 'm', name: 'm' } });
      const project = await t.db.project.create({ data: { teamId: team.id, slug: 'p', name: 'p' } });
      const run = await t.db.run.create({ data: { projectId: project.id, name: 'r', config: {}, architecture: 'mlp', dataset: 'fashion-mnist' } });
      const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, s));
      const rows = [
        ['best', null, 'best-old', at(1)],
        ['best', null, 'best-new', at(3)],
        ['best', null, 'best-mid', at(2)],
        ['model', null, 'model-a', at(1)],
        ['model', null, 'model-b', at(1)],
        ['checkpoint', 1, 'ckpt-1', at(1)],
        ['checkpoint', 2, 'ckpt-2', at(1)],
      ] as const;
      for (const [kind, epoch, path, createdAt] of rows) {
        await t.db.artifact.create({ data: { runId: run.id, kind, epoch, path, bytes: 1n, sha256: 'x', createdAt } });
      }
      expect(await t.db.artifact.count({ where: { runId: run.id } })).toBe(rows.length);
      const modelKept = (await t.db.artifact.findMany({ where: { kind: 'model' }, orderBy: { id: 'desc' } }))[0]?.path;

      await sql.query(migration('20261130011000_artifact_unique_including_best'));

      const left = await t.db.artifact.findMany({ where: { runId: run.id }, orderBy: [{ kind: 'asc' }, { epoch: 'asc' }] });
      expect(left.map((a) => a.path)).toEqual(['best-new', 'ckpt-1', 'ckpt-2', modelKept]);
      await expect(t.db.artifact.create({ data: { runId: run.id, kind: 'best', epoch: null, path: 'again', bytes: 1n, sha256: 'x' } })).rejects.toThrow(/Unique constraint/);
      const index = await sql.query<{ nulls_not_distinct: boolean }>(
        `SELECT indnullsnotdistinct AS nulls_not_distinct FROM pg_index WHERE indexrelid = '"Artifact_runId_kind_epoch_key"'::regclass`,
      );
      expect(index.rows).toEqual([{ nulls_not_distinct: true }]);
    } finally {
      await sql.end();
    }
  });
});
