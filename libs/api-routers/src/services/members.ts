import type { Db, DbClient } from '@hyperzoo/db';
import type { TMember, TRoleName } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import type { TeamAccess } from './access';

const memberSelect = { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } } as const;

function toMember(m: { role: TRoleName; createdAt: Date; user: { id: string; email: string; name: string } }): TMember {
  return { userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt };
}

export async function listMembers(db: Db, teamId: string): Promise<TMember[]> {
  const rows = await db.membership.findMany({ where: { teamId }, select: memberSelect, orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }] });
  return rows.map(toMember);
}

/**
 * Changes a membership inside one transaction that locks the team row first, so two concurrent
 * demotions cannot both see "another owner is left" and leave the team with none.
 */
async function withTeamLocked<T>(db: DbClient, teamId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${teamId}::uuid FOR UPDATE`;
    return fn(tx);
  });
}

async function findMembership(tx: Db, teamId: string, userId: string) {
  const m = await tx.membership.findUnique({ where: { teamId_userId: { teamId, userId } }, select: memberSelect });
  if (!m) throw new DomainError('NOT_FOUND', `member ${userId} not found`);
  return m;
}

async function refuseLastOwner(tx: Db, teamId: string, what: string): Promise<void> {
  const owners = await tx.membership.count({ where: { teamId, role: 'owner' } });
  if (owners <= 1) throw new DomainError('PRECONDITION_FAILED', `${what}: a team keeps at least one owner; make another member owner first`);
}

/** Admins set roles below owner; only an owner makes or unmakes owners; the last owner stays. */
export async function setMemberRole(db: DbClient, team: TeamAccess, userId: string, role: TRoleName): Promise<TMember> {
  return withTeamLocked(db, team.teamId, async (tx) => {
    const m = await findMembership(tx, team.teamId, userId);
    if ((role === 'owner' || m.role === 'owner') && team.role !== 'owner') {
      throw new DomainError('FORBIDDEN', 'only an owner may make or unmake owners');
    }
    if (m.role === 'owner' && role !== 'owner') await refuseLastOwner(tx, team.teamId, 'cannot demote the last owner');
    const updated = await tx.membership.update({ where: { teamId_userId: { teamId: team.teamId, userId } }, data: { role }, select: memberSelect });
    return toMember(updated);
  });
}

/** An admin removes a member (only an owner removes an owner); the last owner is never removed. */
export async function removeMember(db: DbClient, team: Pick<TeamAccess, 'teamId' | 'role'>, userId: string): Promise<TMember> {
  return withTeamLocked(db, team.teamId, async (tx) => {
    const m = await findMembership(tx, team.teamId, userId);
    if (m.role === 'owner' && team.role !== 'owner') throw new DomainError('FORBIDDEN', 'only an owner may remove an owner');
    if (m.role === 'owner') await refuseLastOwner(tx, team.teamId, 'cannot remove the last owner');
    await tx.membership.delete({ where: { teamId_userId: { teamId: team.teamId, userId } } });
    // Their API keys for this team stop working with the membership.
    await tx.apiKey.updateMany({ where: { teamId: team.teamId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    return toMember(m);
  });
}

/** The caller leaves the team (any role, owners too); the last owner cannot. */
export const leaveTeam = (db: DbClient, teamId: string, userId: string): Promise<TMember> => removeMember(db, { teamId, role: 'owner' }, userId);
