import { executeOnPool, Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import { EPOCH_METRIC_NAMES, EPOCH_METRICS, toEpochRow } from '@hyperzoo/schemas';
import type { TEpochMetric, TEpochRow } from '@hyperzoo/schemas';

/** The catalogue's columns, each a Float field of EpochMetric (ingest.test.ts checks the table). */
const METRIC_COLUMNS = EPOCH_METRIC_NAMES.map((name) => EPOCH_METRICS[name].column);
for (const column of METRIC_COLUMNS) {
  if (!(column in Prisma.EpochMetricScalarFieldEnum)) throw new Error(`metric column ${column} is not a field of EpochMetric`);
}

const COLUMN_LIST = ['runId', 'epoch', 'phase', ...METRIC_COLUMNS, 'attempt'].map((c) => `"${c}"`).join(', ');
const OVERWRITE_LIST = ['phase', ...METRIC_COLUMNS, 'attempt'].map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ');
const COLUMNS = Prisma.raw(COLUMN_LIST);
const OVERWRITE = Prisma.raw(OVERWRITE_LIST);

/** The same statement as writeEpochs' Prisma one, with numbered parameters: $1 run, $2 attempt, then one array per column. */
function poolStatement(mode: 'overwrite' | 'fill-gaps'): string {
  const metrics = METRIC_COLUMNS.map((_, i) => `$${i + 5}::float8[]`).join(', ');
  return `INSERT INTO "EpochMetric" (${COLUMN_LIST})
    SELECT $1::uuid, u.*, $2::int FROM unnest($3::int[], $4::"MetricPhase"[], ${metrics}) AS u
    ON CONFLICT ("runId", "epoch") ${mode === 'overwrite' ? `DO UPDATE SET ${OVERWRITE_LIST}` : 'DO NOTHING'}`;
}
const POOL_STATEMENTS = { overwrite: poolStatement('overwrite'), 'fill-gaps': poolStatement('fill-gaps') };

/**
 * Writes a batch of epochs in one statement, one array parameter per column (so the statement
 * is the same for 1 or 1000 epochs). `overwrite` replaces stored epochs (a replayed report);
 * `fill-gaps` keeps them (a backfill from a checkpoint). An epoch given twice keeps the last.
 * Returns the rows written.
 */
export async function writeEpochs(
  db: Db,
  input: { runId: string; attempt: number; epochs: TEpochMetric[]; mode: 'overwrite' | 'fill-gaps' },
): Promise<number> {
  const rows = [...new Map(input.epochs.map((m) => [m.epoch, toEpochRow(m)])).values()];
  const column = <K extends keyof TEpochRow>(key: K) => rows.map((r) => r[key]);
  // Outside a transaction, straight on the pool: the statement's parameters skip Prisma's engine.
  const stored = await executeOnPool(db, POOL_STATEMENTS[input.mode], [input.runId, input.attempt, column('epoch'), column('phase'), ...METRIC_COLUMNS.map((c) => column(c))]);
  if (stored !== null) return stored;
  // Prisma rounds number parameters (0.1 + 0.2 arrives as 0.3); their text form is exact.
  const metrics = METRIC_COLUMNS.map((c) => Prisma.sql`${column(c).map((v) => (v === null ? null : String(v)))}::float8[]`);
  const onConflict = input.mode === 'overwrite' ? Prisma.sql`DO UPDATE SET ${OVERWRITE}` : Prisma.sql`DO NOTHING`;
  return db.$executeRaw`
    INSERT INTO "EpochMetric" (${COLUMNS})
    SELECT ${input.runId}::uuid, u.*, ${input.attempt}::int
    FROM unnest(${column('epoch')}::int[], ${column('phase')}::"MetricPhase"[], ${Prisma.join(metrics)}) AS u
    ON CONFLICT ("runId", "epoch") ${onConflict}`;
}
