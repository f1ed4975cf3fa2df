import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import { EPOCH_METRICS } from '@hyperzoo/schemas';
import type { TMonitor, TSweepGoal } from '@hyperzoo/schemas';

export interface TSweepMetricRef {
  name: TMonitor;
  goal: TSweepGoal;
}

const columnOf = (name: TMonitor) => Prisma.raw(`"${EPOCH_METRICS[name].column}"`);

/**
 * Each run's best value of the sweep metric and its epoch, for every run of a sweep: one
 * statement (DISTINCT ON per run, best first).
 */
export async function bestValues(db: Db, sweepId: string, metric: TSweepMetricRef): Promise<Map<string, { value: number; epoch: number }>> {
  const col = columnOf(metric.name);
  const order = metric.goal === 'maximize' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await db.$queryRaw<{ runId: string; epoch: number; value: number }[]>`
    SELECT DISTINCT ON (m."runId") m."runId"::text AS "runId", m."epoch", m.${col} AS "value"
    FROM "EpochMetric" m JOIN "Run" r ON r."id" = m."runId"
    WHERE r."sweepId" = ${sweepId}::uuid AND m.${col} IS NOT NULL AND m.${col} <> 'NaN'::float8
    ORDER BY m."runId", m.${col} ${order}, m."epoch" ASC`;
  return new Map(rows.map((r) => [r.runId, { value: r.value, epoch: r.epoch }]));
}

/** One run's metric per epoch, index 0 = epoch 1 (null where it has none), up to `epoch`. */
export async function metricCurve(db: Db, runId: string, name: TMonitor, epoch: number): Promise<(number | null)[]> {
  const rows = await db.epochMetric.findMany({ where: { runId, epoch: { lte: epoch } }, select: { epoch: true, loss: true, accuracy: true, valLoss: true, valAccuracy: true } });
  const values: (number | null)[] = Array.from({ length: epoch }, () => null);
  const column = EPOCH_METRICS[name].column;
  for (const r of rows) values[r.epoch - 1] = r[column];
  return values;
}
