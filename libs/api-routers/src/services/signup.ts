import { randomBytes } from 'node:crypto';

import type { DbClient } from '@hyperzoo/db';

import { DomainError } from '../errors';
import { createUser, startSession } from './auth';
import { claimInvitation } from './invitations';
import { insertTeam, isUniqueViolation } from './teams';

/** `ada.lovelace+x@example.com` -> `ada-lovelace-x-3f9a`: a slug of the email's local part, made unique by a suffix. */
function teamSlugFor(email: string): string {
  const base = (email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'team';
  return `${base}-${randomBytes(2).toString('hex')}`;
}

/**
 * A new account, logged in. Without an invitation token it gets its own team (owner, with a
 * `default` project); with one, it joins that team instead. The user, the team or membership and
 * the session are one transaction: a taken slug or a spent token leaves no account behind.
 */
export async function signUp(
  db: DbClient,
  input: { email: string; name: string; password: string; teamSlug?: string; invitationToken?: string },
): Promise<{ userId: string; teamSlug: string; token: string; expiresAt: Date }> {
  const email = input.email.toLowerCase();
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw new DomainError('CONFLICT', 'an account with this email exists; log in instead');
  const slug = input.teamSlug ?? teamSlugFor(email);
  if (!input.invitationToken && (await db.team.findUnique({ where: { slug }, select: { id: true } }))) throw new DomainError('CONFLICT', `team slug "${slug}" is taken`);
  try {
    return await db.$transaction(async (tx) => {
      const user = await createUser(tx, input);
      const teamSlug = input.invitationToken
        ? (await claimInvitation(tx, user.id, input.invitationToken)).teamSlug
        : (await insertTeam(tx, user.id, { slug, name: input.name })).slug;
      return { userId: user.id, teamSlug, ...(await startSession(tx, user.id)) };
    });
  } catch (err) {
    // Lost a race with a concurrent sign-up of the same email or slug.
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', 'this email or team slug was just taken; try again');
    throw err;
  }
}
