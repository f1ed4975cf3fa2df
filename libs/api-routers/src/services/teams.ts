import type { DbClient } from '@hyperzoo/db';

import { createUser } from './auth';

/** A team with its owner and a default project. */
export async function createTeamWithOwner(
  db: DbClient,
  input: { slug: string; name: string; owner: { email: string; name: string; password: string } },
) {
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.owner.email.toLowerCase() }, select: { id: true } });
    const user = existing ?? (await createUser(tx, input.owner));
    const team = await tx.team.create({ data: { slug: input.slug, name: input.name }, select: { id: true, slug: true } });
    await tx.membership.create({ data: { teamId: team.id, userId: user.id, role: 'owner' } });
    await tx.project.create({ data: { teamId: team.id, slug: 'default', name: 'Default' } });
    return { teamId: team.id, teamSlug: team.slug, userId: user.id };
  });
}

