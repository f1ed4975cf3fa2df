import type { Prisma } from '@hyperzoo/db';
import type { Db, DbClient } from '@hyperzoo/db';
import type { TInvitation, TRoleName } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { ROLE_RANK } from './access';
import type { TeamAccess } from './access';
import { newSecret, sha256 } from './tokens';

const DAY_MS = 24 * 3600 * 1000;

const invitationSelect = {
  id: true,
  invitee: true,
  role: true,
  createdAt: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
} satisfies Prisma.InvitationSelect;
type TInvitationRow = Prisma.InvitationGetPayload<{ select: typeof invitationSelect }>;

function toInvitation(row: TInvitationRow, now = new Date()): TInvitation {
  const { acceptedAt, revokedAt, ...rest } = row;
  const status = acceptedAt ? 'accepted' : revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'pending';
  return { ...rest, status };
}

/** The token is in this answer only; the database keeps its SHA-256. Only an owner invites owners. */
export async function createInvitation(
  db: Db,
  team: TeamAccess,
  input: { createdById: string | null; invitee: string; role: TRoleName; expiresInDays: number },
) {
  if (input.role === 'owner' && team.role !== 'owner') throw new DomainError('FORBIDDEN', 'only an owner may invite owners');
  const token = `hzi_${newSecret()}`;
  const row = await db.invitation.create({
    data: {
      teamId: team.teamId,
      invitee: input.invitee,
      role: input.role,
      tokenHash: sha256(token),
      createdById: input.createdById,
      expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
    },
    select: invitationSelect,
  });
  return { ...toInvitation(row), token };
}

export async function listInvitations(db: Db, teamId: string): Promise<TInvitation[]> {
  const rows = await db.invitation.findMany({ where: { teamId }, select: invitationSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  const now = new Date();
  return rows.map((r) => toInvitation(r, now));
}

/** Revoking twice keeps the first time; an accepted invitation stays accepted (remove the member instead). */
export async function revokeInvitation(db: Db, teamId: string, invitationId: string): Promise<TInvitation> {
  await db.invitation.updateMany({ where: { id: invitationId, teamId, revokedAt: null, acceptedAt: null }, data: { revokedAt: new Date() } });
  const row = await db.invitation.findFirst({ where: { id: invitationId, teamId }, select: invitationSelect });
  if (!row) throw new DomainError('NOT_FOUND', `invitation ${invitationId} not found`);
  return toInvitation(row);
}

/**
 * Joins the invitation's team with its role. Single use: the claim is one conditional update, so
 * two concurrent accepts of one token make one membership. A member already in the team keeps the
 * higher of the two roles. Runs inside the caller's transaction (sign-up with a token uses it too).
 */
export async function claimInvitation(tx: Db, userId: string, token: string): Promise<{ teamSlug: string; role: TRoleName }> {
  const found = await tx.invitation.findUnique({
    where: { tokenHash: sha256(token) },
    select: { ...invitationSelect, teamId: true, team: { select: { slug: true } } },
  });
  if (!found) throw new DomainError('NOT_FOUND', 'invitation not found (check the token)');
  const status = toInvitation(found).status;
  if (status === 'expired') throw new DomainError('PRECONDITION_FAILED', `this invitation expired at ${found.expiresAt.toISOString()}; ask for a new one`);
  if (status !== 'pending') throw new DomainError('PRECONDITION_FAILED', `this invitation was ${status} already; ask for a new one`);
  const claimed = await tx.invitation.updateMany({
    where: { id: found.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date(), acceptedById: userId },
  });
  if (claimed.count !== 1) throw new DomainError('PRECONDITION_FAILED', 'this invitation was accepted or revoked just now; ask for a new one');
  const existing = await tx.membership.findUnique({ where: { teamId_userId: { teamId: found.teamId, userId } }, select: { role: true } });
  const role = existing && ROLE_RANK[existing.role] >= ROLE_RANK[found.role] ? existing.role : found.role;
  await tx.membership.upsert({
    where: { teamId_userId: { teamId: found.teamId, userId } },
    create: { teamId: found.teamId, userId, role },
    update: { role },
  });
  return { teamSlug: found.team.slug, role };
}

export const acceptInvitation = (db: DbClient, userId: string, token: string) => db.$transaction((tx) => claimInvitation(tx, userId, token));
