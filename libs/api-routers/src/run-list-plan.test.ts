// runs.list's statements at 10,000 runs: every shape must read Run through an index, never a
// sequential scan (the plan is Postgres' own EXPLAIN on the real statement).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Prisma } from '@hyperzoo/db';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { ZListRunsInput } from '@hyperzoo/schemas';

import { listRunsQueries } from './services/run-list';
import { seedTeam } from './testing/seed';

let t: TestDatabase;
let teamId: string;

/** n runs in the team's default project, in one statement; three in ten without a summary (still running). */
async function insertRuns(db: TestDatabase['db'], team: string, n: number) {
  await db.$executeRaw`
    INSERT INTO "Run" ("id", "projectId", "name", "status", "config", "architecture", "dataset", "updatedAt", "createdAt",
      "bestValAccuracy", "bestValLoss", "gapLoss", "paramCount", "testAccuracy", "tags")
    SELECT gen_random_uuid(), p."id", 'r' || g, CASE WHEN g % 10 < 3 THEN 'running' ELSE 'succeeded' END::"RunStatus",
      jsonb_build_object('architecture', (ARRAY['mlp', 'lenet5', 'resnet'])[1 + g % 3], 'optimizer', jsonb_build_object('name', (ARRAY['adam', 'sgd'])[1 + g % 2])),
      (ARRAY['mlp', 'lenet5', 'resnet'])[1 + g % 3], 'fashion-mnist', now(), now() - g * interval '1 second',
      CASE WHEN g % 10 >= 3 THEN random() END, CASE WHEN g % 10 >= 3 THEN random() END, CASE WHEN g % 10 >= 3 THEN random() END,
      CASE WHEN g % 10 >= 3 THEN (random() * 1e6)::int END, CASE WHEN g % 10 >= 3 THEN random() END,
      CASE WHEN g % 100 = 0 THEN ARRAY['baseline'] ELSE ARRAY[]::text[] END
    FROM generate_series(1, ${n}::int) g, "Project" p WHERE p."teamId" = ${team}::uuid`;
}

beforeAll(async () => {
  t = await createTestDatabase();
  teamId = (await seedTeam(t.db)).teamId;
  await insertRuns(t.db, teamId, 10_000);
  await insertRuns(t.db, (await seedTeam(t.db)).teamId, 1_000);
  await t.db.$executeRawUnsafe('ANALYZE "Run"');
  await t.db.$executeRawUnsafe('ANALYZE "Project"');
}, 60_000);
afterAll(async () => {
  await t?.drop();
});

interface TPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: TPlanNode[];
}
const nodesOf = (n: TPlanNode): TPlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];
async function planOf(sql: Prisma.Sql): Promise<TPlanNode[]> {
  const [row] = await t.db.$queryRaw<{ 'QUERY PLAN': [{ Plan: TPlanNode }] }[]>`EXPLAIN (FORMAT JSON) ${sql}`;
  return nodesOf((row?.['QUERY PLAN'][0] as { Plan: TPlanNode }).Plan);
}

const SHAPES: Record<string, object> = {
  'newest first': {},
  'by -val_accuracy': { sort: 'val_accuracy', order: 'desc' },
  'by val_loss, succeeded only': { sort: 'val_loss', order: 'asc', status: ['succeeded'] },
  'by params, two architectures': { sort: 'params', order: 'asc', architecture: ['mlp', 'resnet'] },
  'by gap_loss, val_accuracy >= 0.5': { sort: 'gap_loss', order: 'asc', metrics: { val_accuracy: { gte: 0.5 } } },
  'optimizer.name = adam': { sort: 'test_accuracy', order: 'desc', config: { 'optimizer.name': 'adam' } },
  'tag baseline': { tag: 'baseline', sort: 'val_accuracy', order: 'desc' },
};

describe('runs.list query plans at 10,000 runs', () => {
  it.each(Object.entries(SHAPES))('%s reads Run through an index', async (_name, shape) => {
    const input = ZListRunsInput.parse({ limit: 100, ...shape });
    const q = listRunsQueries(teamId, input, null);
    for (const sql of [q.valued(101), ...(input.sort === 'created_at' ? [] : [q.unvalued(101)])]) {
      const nodes = await planOf(sql);
      const onRun = nodes.filter((n) => n['Relation Name'] === 'Run');
      expect(onRun.map((n) => n['Node Type'])).not.toContain('Seq Scan');
      expect(onRun.some((n) => n['Index Name'] !== undefined || n['Node Type'] === 'Bitmap Heap Scan')).toBe(true);
    }
  });

  it('a later page (keyset cursor) still walks the index', async () => {
    const input = ZListRunsInput.parse({ limit: 100, sort: 'val_accuracy', order: 'desc' });
    const nodes = await planOf(listRunsQueries(teamId, input, [0.5, '00000000-0000-4000-8000-000000000000']).valued(101));
    expect(nodes.find((n) => n['Relation Name'] === 'Run')).toMatchObject({ 'Index Name': 'Run_bestValAccuracy_id_idx' });
  });
});
