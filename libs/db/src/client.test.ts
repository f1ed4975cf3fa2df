import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase } from './testing';
import type { TestDatabase } from './testing';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('schema', () => {
  it('keys epoch metrics on run + epoch, so a second insert of the same epoch is rejected', async () => {
    const team = await t.db.team.create({ data: { slug: 'a', name: 'A' } });
    const project = await t.db.project.create({ data: { teamId: team.id, slug: 'p', name: 'P' } });
    const run = await t.db.run.create({
      data: { projectId: project.id, name: 'r', config: {}, architecture: 'mlp', dataset: 'fashion-mnist' },
    });
    await t.db.epochMetric.create({ data: { runId: run.id, epoch: 1, loss: 1, durationMs: 5 } });
    await expect(t.db.epochMetric.create({ data: { runId: run.id, epoch: 1, loss: 2, durationMs: 5 } })).rejects.toThrow(/Unique constraint/);
    const rows = await t.db.epochMetric.findMany({ where: { runId: run.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.loss).toBe(1);
  });
});
