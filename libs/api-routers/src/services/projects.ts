import type { Db } from '@hyperzoo/db';
import type { TProjectSummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { isUniqueViolation } from './teams';

const projectSelect = { slug: true, name: true, createdAt: true, archivedAt: true, _count: { select: { runs: true } } } as const;

function toProject(p: { slug: string; name: string; createdAt: Date; archivedAt: Date | null; _count: { runs: number } }): TProjectSummary {
  return { slug: p.slug, name: p.name, createdAt: p.createdAt, archived: p.archivedAt !== null, runCount: p._count.runs };
}

const notFound = (slug: string) => new DomainError('NOT_FOUND', `project "${slug}" not found`);

/** Archived ones too, flagged, after the active ones. */
export async function listProjects(db: Db, teamId: string): Promise<TProjectSummary[]> {
  const rows = await db.project.findMany({ where: { teamId }, select: projectSelect, orderBy: [{ slug: 'asc' }] });
  return rows.map(toProject).sort((a, b) => Number(a.archived) - Number(b.archived));
}

export async function createProject(db: Db, teamId: string, input: { slug: string; name?: string }): Promise<TProjectSummary> {
  try {
    return toProject(await db.project.create({ data: { teamId, slug: input.slug, name: input.name ?? input.slug }, select: projectSelect }));
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `project "${input.slug}" exists`);
    throw err;
  }
}

async function updateProject(db: Db, teamId: string, slug: string, data: { name?: string; archivedAt?: Date | null }): Promise<TProjectSummary> {
  const { count } = await db.project.updateMany({ where: { teamId, slug }, data });
  if (count !== 1) throw notFound(slug);
  return toProject(await db.project.findUniqueOrThrow({ where: { teamId_slug: { teamId, slug } }, select: projectSelect }));
}

export const renameProject = (db: Db, teamId: string, slug: string, name: string) => updateProject(db, teamId, slug, { name });

/** Archived projects keep their runs and refuse new ones (findOrCreateProject); unarchiving undoes it. */
export async function setProjectArchived(db: Db, teamId: string, slug: string, archived: boolean): Promise<TProjectSummary> {
  if (!archived) return updateProject(db, teamId, slug, { archivedAt: null });
  // Archiving twice keeps the first time.
  await db.project.updateMany({ where: { teamId, slug, archivedAt: null }, data: { archivedAt: new Date() } });
  const project = await db.project.findUnique({ where: { teamId_slug: { teamId, slug } }, select: projectSelect });
  if (!project) throw notFound(slug);
  return toProject(project);
}
