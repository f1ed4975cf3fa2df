import { Prisma } from '@hyperzoo/db';
import type { DbClient } from '@hyperzoo/db';
import { EPOCH_METRIC_NAMES, EPOCH_METRICS } from '@hyperzoo/schemas';
import type { TRunFilters } from '@hyperzoo/schemas';

import { runFilterSql } from './run-filters';

export type TExportKind = 'runs' | 'epochs';
export type TExportFormat = 'csv' | 'json';

const BATCH = 1000;
/** A long export to a slow client keeps its transaction (and cursor) open this long at most. */
const EXPORT_TIMEOUT_MS = 30 * 60_000;

const RUN_COLUMNS = [
  'id', 'name', 'project', 'status', 'architecture', 'dataset', 'sweepId', 'createdAt', 'finishedAt', 'bestEpoch',
  'bestValAccuracy', 'bestValLoss', 'bestAccuracy', 'bestLoss', 'gapLoss', 'gapAccuracy', 'testAccuracy', 'testLoss',
  'paramCount', 'durationMs', 'epochsDone', 'tags', 'notes', 'config',
] as const;
const EPOCH_COLUMNS = ['runId', 'runName', 'architecture', 'epoch', 'phase', ...EPOCH_METRIC_NAMES] as const;

function query(kind: TExportKind, teamId: string, filters: TRunFilters): Prisma.Sql {
  const where = runFilterSql(teamId, filters);
  if (kind === 'runs') {
    return Prisma.sql`
      SELECT r."id", r."name", (SELECT p."slug" FROM "Project" p WHERE p."id" = r."projectId") AS project, r."status"::text AS status,
        r."architecture", r."dataset", r."sweepId", r."createdAt", r."finishedAt", r."bestEpoch", r."bestValAccuracy", r."bestValLoss",
        r."bestAccuracy", r."bestLoss", r."gapLoss", r."gapAccuracy", r."testAccuracy", r."testLoss", r."paramCount", r."durationMs",
        r."epochsDone", r."tags", r."notes", r."config"
      FROM "Run" r WHERE ${where} ORDER BY r."createdAt" DESC, r."id" DESC`;
  }
  const metrics = Prisma.join(EPOCH_METRIC_NAMES.map((name) => Prisma.raw(`e."${EPOCH_METRICS[name].column}" AS "${name}"`)));
  return Prisma.sql`
    SELECT e."runId", r."name" AS "runName", r."architecture", e."epoch", e."phase"::text AS phase, ${metrics}
    FROM "Run" r JOIN "EpochMetric" e ON e."runId" = r."id"
    WHERE ${where} ORDER BY e."runId", e."epoch"`;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Streams a team's runs (or their epochs) matching `filters` as CSV or a JSON array, through a
 * server-side cursor: BATCH rows in memory at a time, whatever the size. `write` resolves when
 * the consumer can take more (backpressure); if it throws, the transaction and cursor end.
 */
export async function streamExport(
  db: DbClient,
  input: { teamId: string; kind: TExportKind; format: TExportFormat; filters: TRunFilters },
  write: (chunk: string) => Promise<void>,
): Promise<number> {
  const columns = input.kind === 'runs' ? RUN_COLUMNS : EPOCH_COLUMNS;
  let count = 0;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`DECLARE hz_export NO SCROLL CURSOR FOR ${query(input.kind, input.teamId, input.filters)}`;
      await write(input.format === 'csv' ? `${columns.join(',')}\n` : '[');
      for (;;) {
        const rows = await tx.$queryRaw<Record<string, unknown>[]>`FETCH ${Prisma.raw(String(BATCH))} FROM hz_export`;
        if (rows.length === 0) break;
        const text =
          input.format === 'csv'
            ? rows.map((r) => `${columns.map((c) => csvCell(r[c])).join(',')}\n`).join('')
            : rows.map((r, i) => `${count + i === 0 ? '\n' : ',\n'}${JSON.stringify(r)}`).join('');
        count += rows.length;
        await write(text);
      }
      if (input.format === 'json') await write(count === 0 ? ']\n' : '\n]\n');
    },
    { timeout: EXPORT_TIMEOUT_MS },
  );
  return count;
}
