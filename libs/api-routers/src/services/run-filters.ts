import { Prisma } from '@hyperzoo/db';
import { RUN_SORT_KEYS } from '@hyperzoo/schemas';
import type { TRunFilters, TRunSortKey } from '@hyperzoo/schemas';

/** The Run column of a sort key, quoted; the keys are a fixed list, never caller text. */
export const sortColumn = (key: TRunSortKey) => Prisma.raw(`r."${RUN_SORT_KEYS[key]}"`);

/** {'optimizer.name': 'adam'} -> {"optimizer":{"name":"adam"}}, for jsonb containment (the GIN index on config serves it). */
function containmentOf(key: string, value: string | number | boolean): string {
  return JSON.stringify(key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value));
}

/**
 * The WHERE clause of runs of one team matching `filters` (alias r), every value a parameter.
 * Shared by runs.list, the leaderboards and the export, so they agree on what a filter means.
 */
export function runFilterSql(teamId: string, f: Partial<TRunFilters>): Prisma.Sql {
  const projects = f.projectSlug
    ? Prisma.sql`SELECT p."id" FROM "Project" p WHERE p."teamId" = ${teamId}::uuid AND p."slug" = ${f.projectSlug}`
    : Prisma.sql`SELECT p."id" FROM "Project" p WHERE p."teamId" = ${teamId}::uuid`;
  // ARRAY(...) rather than IN (...): the planner then walks a sort index, filtering by project,
  // instead of joining the whole table (it misjudges how many runs a team's projects hold).
  const where: Prisma.Sql[] = [Prisma.sql`r."projectId" = ANY(ARRAY(${projects}))`];
  if (!f.includeDeleted) where.push(Prisma.sql`r."deletedAt" IS NULL`);
  if (f.status) where.push(Prisma.sql`r."status" = ANY(${f.status}::"RunStatus"[])`);
  if (f.architecture) where.push(Prisma.sql`r."architecture" = ANY(${f.architecture}::text[])`);
  if (f.dataset) where.push(Prisma.sql`r."dataset" = ${f.dataset}`);
  if (f.sweepId) where.push(Prisma.sql`r."sweepId" = ${f.sweepId}::uuid`);
  if (f.tag) where.push(Prisma.sql`r."tags" @> ARRAY[${f.tag}]::text[]`);
  for (const [key, value] of Object.entries(f.config ?? {})) where.push(Prisma.sql`r."config" @> ${containmentOf(key, value)}::jsonb`);
  for (const [key, t] of Object.entries(f.metrics ?? {}) as [Exclude<TRunSortKey, 'created_at'>, { gte?: number; lte?: number }][]) {
    if (t.gte !== undefined) where.push(Prisma.sql`${sortColumn(key)} >= ${t.gte}`);
    if (t.lte !== undefined) where.push(Prisma.sql`${sortColumn(key)} <= ${t.lte}`);
  }
  return Prisma.join(where, ' AND ');
}
