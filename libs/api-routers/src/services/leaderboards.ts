import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import { LEADERBOARD_METRICS } from '@hyperzoo/schemas';
import type { TLeaderboardRow, TRunSummary , ZLeaderboardInput } from '@hyperzoo/schemas';
import type { z } from 'zod';

import { runFilterSql } from './run-filters';
import { findRunSummary } from './runs';

interface TRow extends Omit<TLeaderboardRow, 'rank' | 'pinned' | 'runs'> {
  pinnedAt: Date | null;
  runs: bigint;
}

/**
 * A team's best succeeded runs on one dataset, pinned runs first. By architecture, each
 * architecture shows its pinned run, else its best one.
 */
export async function getLeaderboard(db: Db, teamId: string, input: z.infer<typeof ZLeaderboardInput>) {
  const m = LEADERBOARD_METRICS[input.metric];
  const column = Prisma.raw(`r."${m.column}"`);
  const score = m.fallback ? Prisma.sql`coalesce(${column}, ${Prisma.raw(`r."${m.fallback}"`)})` : column;
  const dir = Prisma.raw(m.better === 'max' ? 'DESC' : 'ASC');
  const where = runFilterSql(teamId, { dataset: input.dataset, status: ['succeeded'] });
  const scored = Prisma.sql`
    SELECT r."id" AS "runId", r."name", r."architecture", r."testAccuracy", r."bestValAccuracy", r."gapLoss", r."gapAccuracy",
      r."paramCount", r."bestEpoch", r."pinnedAt", ${score} AS score,
      CASE WHEN ${score} IS NULL THEN NULL WHEN ${m.fallback ? Prisma.sql`${column} IS NOT NULL` : Prisma.sql`false`} THEN 'test' ELSE 'validation' END AS "scoreFrom",
      count(*) OVER (PARTITION BY r."architecture") AS runs
    FROM "Run" r WHERE ${where} AND (${score} IS NOT NULL OR r."pinnedAt" IS NOT NULL)`;
  const order = Prisma.sql`("pinnedAt" IS NULL), "pinnedAt" DESC, score ${dir} NULLS LAST, "runId"`;
  const rows =
    input.by === 'run'
      ? await db.$queryRaw<TRow[]>`SELECT * FROM (${scored}) s ORDER BY ${order} LIMIT ${input.limit}`
      : await db.$queryRaw<TRow[]>`
          SELECT * FROM (SELECT DISTINCT ON (architecture) * FROM (${scored}) s ORDER BY architecture, ${order}) best
          ORDER BY ${order} LIMIT ${input.limit}`;
  return {
    dataset: input.dataset,
    by: input.by,
    metric: input.metric,
    rows: rows.map(({ pinnedAt, runs, ...r }, i) => ({ ...r, rank: i + 1, pinned: pinnedAt !== null, runs: Number(runs) })),
  };
}

export async function setRunPinned(db: Db, runId: string, pinned: boolean): Promise<TRunSummary> {
  await db.run.update({ where: { id: runId }, data: { pinnedAt: pinned ? new Date() : null } });
  return findRunSummary(db, runId);
}
