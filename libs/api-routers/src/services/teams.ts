import { Prisma } from '@hyperzoo/db';
import type { Db, DbClient } from '@hyperzoo/db';
import type { TTeamSummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { getTeamAccess } from './access';
import type { TRole } from './access';
import type { TPrincipal } from './auth';
import { createUser } from './auth';

/** A unique constraint refused the write (Prisma P2002). */
export const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

/** A new team: its creator is its owner, and it has a `default` project (runs.create's default). */
export async function insertTeam(tx: Db, userId: string, input: { slug: string; name: string }): Promise<TTeamSummary & { id: string }> {
  const team = await tx.team.create({ data: { slug: input.slug, name: input.name }, select: { id: true, slug: true, name: true, createdAt: true } });
  await tx.membership.create({ data: { teamId: team.id, userId, role: 'owner' } });
  await tx.project.create({ data: { teamId: team.id, slug: 'default', name: 'Default' } });
  return { ...team, role: 'owner' as const };
}

export async function createTeam(db: DbClient, userId: string, input: { slug: string; name: string }): Promise<TTeamSummary & { id: string }> {
  try {
    return await db.$transaction((tx) => insertTeam(tx, userId, input));
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `team slug "${input.slug}" is taken`);
    throw err;
  }
}

/** A team with its owner (created unless the email exists) and a default project; for seeding and tests. */
export async function createTeamWithOwner(
  db: DbClient,
  input: { slug: string; name: string; owner: { email: string; name: string; password: string } },
) {
  const existing = await db.user.findUnique({ where: { email: input.owner.email.toLowerCase() }, select: { id: true } });
  const user = existing ?? (await createUser(db, input.owner));
  const team = await createTeam(db, user.id, input);
  return { teamId: team.id, teamSlug: team.slug, userId: user.id };
}

/** The caller's teams with their role; an API key sees its own team, with the role its scopes stand for. */
export async function listMyTeams(db: Db, principal: TPrincipal): Promise<TTeamSummary[]> {
  if (principal.kind === 'apiKey') {
    const access = await getTeamAccess(db, principal, { id: principal.teamId }, 'viewer');
    const team = await db.team.findUniqueOrThrow({ where: { id: access.teamId }, select: { slug: true, name: true, createdAt: true } });
    return [{ ...team, role: access.role }];
  }
  const rows = await db.membership.findMany({
    where: { userId: principal.userId },
    select: { role: true, team: { select: { slug: true, name: true, createdAt: true } } },
    orderBy: [{ createdAt: 'asc' }, { teamId: 'asc' }],
  });
  return rows.map((m) => ({ ...m.team, role: m.role }));
}

export async function getTeam(db: Db, teamId: string, role: TRole, platformPoolTeamId: string | null) {
  const team = await db.team.findUniqueOrThrow({
    where: { id: teamId },
    select: { slug: true, name: true, createdAt: true, usesPlatformPool: true, _count: { select: { memberships: true, projects: true } } },
  });
  const { _count, ...rest } = team;
  const platformPool = platformPoolTeamId === null ? 'none' : platformPoolTeamId === teamId ? 'this-team' : 'available';
  return { ...rest, role, memberCount: _count.memberships, projectCount: _count.projects, platformPool } as const;
}

export async function renameTeam(db: Db, teamId: string, name: string, role: TRole): Promise<TTeamSummary> {
  const team = await db.team.update({ where: { id: teamId }, data: { name }, select: { slug: true, name: true, createdAt: true } });
  return { ...team, role };
}
