import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { EPOCH_METRIC_NAMES, EPOCH_METRICS, fromEpochRow } from '@hyperzoo/schemas';
import type { TEpochMetric } from '@hyperzoo/schemas';

import { writeEpochs } from './epochs';

let t: TestDatabase;
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const team = await t.db.team.create({ data: { slug: 'e', name: 'e' } });
  projectId = (await t.db.project.create({ data: { teamId: team.id, slug: 'p', name: 'p' } })).id;
  // Counts INSERT statements on the table (nextval is never rolled back).
  await t.db.$executeRawUnsafe('CREATE SEQUENCE insert_statements');
  await t.db.$executeRawUnsafe(`CREATE FUNCTION count_insert() RETURNS trigger AS $$ BEGIN PERFORM nextval('insert_statements'); RETURN NULL; END $$ LANGUAGE plpgsql`);
  await t.db.$executeRawUnsafe('CREATE TRIGGER count_insert AFTER INSERT ON "EpochMetric" FOR EACH STATEMENT EXECUTE FUNCTION count_insert()');
});
afterAll(async () => {
  await t?.drop();
});

const newRun = async () => (await t.db.run.create({ data: { projectId, name: 'r', config: {}, architecture: 'mlp', dataset: 'fashion-mnist' } })).id;
const stored = async (runId: string) => {
  const rows = await t.db.epochMetric.findMany({ where: { runId }, orderBy: { epoch: 'asc' } });
  return rows.map((r) => ({ ...fromEpochRow(r), attempt: r.attempt }));
};
const insertStatements = async () => Number((await t.db.$queryRawUnsafe<{ n: bigint }[]>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM insert_statements'))[0]?.n);
const epoch = (n: number, loss: number, extra: Partial<TEpochMetric> = {}): TEpochMetric => ({
  epoch: n,
  phase: 'train',
  loss,
  accuracy: 0.5,
  val_loss: loss + 0.1,
  val_accuracy: 0.4,
  lr: 0.001,
  duration_ms: 12.5,
  images_per_sec: 100,
  ...extra,
});

describe('writeEpochs', () => {
  it('the catalogue names double precision columns of EpochMetric', async () => {
    const cols = await t.db.$queryRaw<{ column_name: string; data_type: string }[]>`
      SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_name = 'EpochMetric'`;
    const types = Object.fromEntries(cols.map((c) => [c.column_name, c.data_type]));
    for (const name of EPOCH_METRIC_NAMES) expect(types[EPOCH_METRICS[name].column], name).toBe('double precision');
  });

  it('stores 1000 epochs in one statement, values exact, nulls kept', async () => {
    const runId = await newRun();
    const epochs = Array.from({ length: 1000 }, (_, i) =>
      epoch(i + 1, 0.1 + 0.2 + i, { lr: 1e-8 * (i + 1), val_loss: i % 2 ? null : 1 / 3, phase: i < 500 ? 'train' : 'finetune' }),
    );
    const before = await insertStatements();
    expect(await writeEpochs(t.db, { runId, attempt: 3, epochs, mode: 'overwrite' })).toBe(1000);
    expect((await insertStatements()) - before).toBe(1);
    expect(await stored(runId)).toEqual(epochs.map((m) => ({ ...m, attempt: 3 })));
  });

  it('overwrites on (run, epoch), or fills gaps only, recording the attempt', async () => {
    const runId = await newRun();
    await writeEpochs(t.db, { runId, attempt: 1, epochs: [epoch(1, 1.0), epoch(2, 0.8)], mode: 'overwrite' });
    expect(await writeEpochs(t.db, { runId, attempt: 2, epochs: [epoch(2, 0.7, { val_loss: null })], mode: 'overwrite' })).toBe(1);
    expect(await stored(runId)).toEqual([
      { ...epoch(1, 1.0), attempt: 1 },
      { ...epoch(2, 0.7, { val_loss: null }), attempt: 2 },
    ]);
    expect(await writeEpochs(t.db, { runId, attempt: 3, epochs: [epoch(2, 9.9), epoch(3, 0.6)], mode: 'fill-gaps' })).toBe(1);
    expect((await stored(runId)).map((e) => [e.epoch, e.loss, e.attempt])).toEqual([
      [1, 1.0, 1],
      [2, 0.7, 2],
      [3, 0.6, 3],
    ]);
  });

  it('keeps the last of an epoch given twice in one batch', async () => {
    const runId = await newRun();
    expect(await writeEpochs(t.db, { runId, attempt: 1, epochs: [epoch(1, 1.0), epoch(1, 0.5)], mode: 'overwrite' })).toBe(1);
    expect((await stored(runId)).map((e) => e.loss)).toEqual([0.5]);
  });

  it('takes concurrent replays of the same epochs without an error or a duplicate', async () => {
    const runId = await newRun();
    const batch = (loss: number) => [1, 2, 3].map((n) => epoch(n, loss));
    await Promise.all(Array.from({ length: 10 }, (_, i) => writeEpochs(t.db, { runId, attempt: 1, epochs: batch(i), mode: i % 2 ? 'overwrite' : 'fill-gaps' })));
    expect((await stored(runId)).map((e) => e.epoch)).toEqual([1, 2, 3]);
  });
});
