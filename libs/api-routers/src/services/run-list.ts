import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import type { TListRunsInput, TRunSummary } from '@hyperzoo/schemas';
import { z } from 'zod';

import { DomainError } from '../errors';
import { runFilterSql, sortColumn } from './run-filters';
import { RUN_SUMMARY_SQL } from './runs';

/** Where the previous page ended: the sort value (null: in the runs without one) and the run id. */
const ZCursor = z.tuple([z.union([z.number(), z.iso.datetime(), z.null()]), z.uuid()]);
export type TCursor = z.infer<typeof ZCursor>;

const encodeCursor = (c: TCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(text: string): TCursor {
  try {
    return ZCursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new DomainError('BAD_REQUEST', 'cursor: not a nextCursor of runs.list');
  }
}

type TKeyRow = TRunSummary & { v: number | Date | null };

/**
 * The statements of one page: runs with a value of the sort column (`valued`), then, when the
 * page is not full, runs without one (`unvalued`, by id). Exported for the query-plan test.
 */
export function listRunsQueries(teamId: string, input: TListRunsInput, cursor: TCursor | null) {
  const col = sortColumn(input.sort);
  const desc = input.order === 'desc';
  const dir = Prisma.raw(desc ? 'DESC' : 'ASC');
  const cmp = Prisma.raw(desc ? '<' : '>');
  const where = runFilterSql(teamId, input);
  const asValue = (v: number | string) => (input.sort === 'created_at' ? Prisma.sql`${v}::timestamp(3)` : Prisma.sql`${v}::float8`);
  const from = Prisma.sql`SELECT ${RUN_SUMMARY_SQL}, ${col} AS v FROM "Run" r JOIN "Project" p ON p."id" = r."projectId"`;
  return {
    valued: (limit: number) => {
      const after = cursor === null ? Prisma.empty : Prisma.sql`AND (${col}, r."id") ${cmp} (${asValue(cursor[0] as number | string)}, ${cursor[1]}::uuid)`;
      return Prisma.sql`${from} WHERE ${where} AND ${col} IS NOT NULL ${after} ORDER BY ${col} ${dir}, r."id" ${dir} LIMIT ${limit}`;
    },
    unvalued: (limit: number) => {
      const after = cursor !== null && cursor[0] === null ? Prisma.sql`AND r."id" ${cmp} ${cursor[1]}::uuid` : Prisma.empty;
      return Prisma.sql`${from} WHERE ${where} AND ${col} IS NULL ${after} ORDER BY r."id" ${dir} LIMIT ${limit}`;
    },
  };
}

/**
 * One team's runs, filtered and sorted, a page at a time (keyset: stable while runs are added).
 * Runs with a value of the sort column come first, in the asked order; runs without one (not
 * ended yet) follow, by id. Each part is one index-ordered scan: ORDER BY col plus id matches
 * the (col, id) index in both directions, which NULLS LAST would not. One statement per part,
 * summaries included: a list call costs one or two round trips besides auth.
 */
export async function listRuns(db: Db, teamId: string, input: TListRunsInput): Promise<{ runs: TRunSummary[]; nextCursor: string | null }> {
  const cursor = input.cursor === undefined ? null : decodeCursor(input.cursor);
  const queries = listRunsQueries(teamId, input, cursor);
  const want = input.limit + 1;
  let rows: TKeyRow[] = [];
  if (cursor === null || cursor[0] !== null) rows = await db.$queryRaw<TKeyRow[]>(queries.valued(want));
  // created_at is never null.
  if (rows.length < want && input.sort !== 'created_at') rows = [...rows, ...(await db.$queryRaw<TKeyRow[]>(queries.unvalued(want - rows.length)))];
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > input.limit && last ? encodeCursor([last.v instanceof Date ? last.v.toISOString() : last.v, last.id]) : null;
  return { runs: page.map(({ v: _v, ...run }) => run), nextCursor };
}
