// Sign-up, teams, members, invitations, projects and API keys, through the router as requests make them.
import { randomUUID } from 'node:crypto';

import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '@hyperzoo/schemas';

import { createApiKey } from './services/auth';
import { sha256 } from './services/tokens';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedMember, seedTeam } from './testing/seed';

let h: RouterHarness;
beforeAll(async () => {
  h = await startRouterHarness();
});
afterAll(async () => {
  await h?.close();
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
const email = () => `u-${randomUUID()}@example.test`;
const PASSWORD = 'correct horse battery';
/** The session cookie a sign-up or login set, as a request would send it back. */
const sessionOf = (cookies: string[]) => cookies.map((c) => /^hz_session=([^;]+)/.exec(c)?.[1]).find(Boolean) ?? '';
async function signUp(input: { email?: string; name?: string; teamSlug?: string; invitationToken?: string } = {}) {
  const { caller, cookies } = await h.callerFor({});
  const out = await caller.auth.signUp({ email: input.email ?? email(), name: input.name ?? 'Ada', password: PASSWORD, ...input });
  const me = (await h.callerFor({ cookie: `${SESSION_COOKIE}=${sessionOf(cookies)}` })).caller;
  return { ...out, me };
}

describe('auth.signUp', () => {
  it('makes a logged-in user who owns a new team with a default project; the password is stored as argon2id', async () => {
    const address = `Ada.Lovelace+x-${randomUUID().slice(0, 4)}@Example.test`;
    const { userId, teamSlug, me } = await signUp({ email: address });
    expect(teamSlug).toMatch(/^ada-lovelace-x-[0-9a-f]{4}-[0-9a-f]{4}$/);
    expect(await me.teams.list()).toEqual([expect.objectContaining({ slug: teamSlug, role: 'owner' })]);
    expect((await me.projects.list({ teamSlug })).map((p) => p.slug)).toEqual(['default']);
    const user = await h.t.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.email).toBe(address.toLowerCase());
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await me.runs.create({ teamSlug, config: { architecture: 'mlp', epochs: 1 } })).projectSlug).toBe('default');
  });

  it('refuses a taken email or team slug and bad input, leaving nothing behind', async () => {
    const first = await signUp();
    const { caller } = await h.callerFor({});
    const user = await h.t.db.user.findUniqueOrThrow({ where: { id: first.userId } });
    const dup = await errorOf(caller.auth.signUp({ email: user.email.toUpperCase(), name: 'x', password: PASSWORD }));
    expect(dup?.code).toBe('CONFLICT');
    const slugTaken = await errorOf(caller.auth.signUp({ email: email(), name: 'x', password: PASSWORD, teamSlug: first.teamSlug }));
    expect(slugTaken?.message).toBe(`team slug "${first.teamSlug}" is taken`);
    const short = await errorOf(caller.auth.signUp({ email: email(), name: 'x', password: 'short' }));
    expect(short?.code).toBe('BAD_REQUEST');
    expect(short?.message).toMatch(/at least 10 characters/);
    const users = await h.t.db.user.count();
    const nul = await errorOf(caller.auth.signUp({ email: email(), name: 'a\0b', password: PASSWORD }));
    expect(nul?.code).toBe('BAD_REQUEST');
    expect(await h.t.db.user.count()).toBe(users);
  });

  it('is throttled like login, per email', async () => {
    const taken = await signUp();
    const address = (await h.t.db.user.findUniqueOrThrow({ where: { id: taken.userId } })).email;
    const { caller } = await h.callerFor({});
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) codes.push((await errorOf(caller.auth.signUp({ email: address, name: 'x', password: PASSWORD })))?.code ?? 'OK');
    // The sign-up that made the account counted too: 10 attempts per email, then a wait.
    expect(codes.slice(0, 9)).toEqual(Array(9).fill('CONFLICT'));
    expect(codes.slice(9)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
  });

  it('can be turned off by the operator; an invitation token still admits', async () => {
    const closed = await startRouterHarness(undefined, { signUp: false });
    try {
      const { caller } = await closed.callerFor({});
      // Visitors can read it before they fill the form; the open harness says the opposite.
      expect(await caller.auth.policy()).toEqual({ signUp: false });
      expect(await (await h.callerFor({})).caller.auth.policy()).toEqual({ signUp: true });
      const refused = await errorOf(caller.auth.signUp({ email: email(), name: 'x', password: PASSWORD }));
      expect(refused?.code).toBe('FORBIDDEN');
      expect(refused?.message).toMatch(/sign-up is turned off/);
      expect(await closed.t.db.user.count()).toBe(0);
      const team = await seedTeam(closed.t.db);
      const admin = await closed.bearer((await createApiKey(closed.t.db, { teamId: team.teamId, userId: team.userId, name: 'a', scopes: ['admin'] })).key);
      const { token } = await admin.invitations.create({ teamSlug: team.teamSlug, invitee: 'bob@example.test', role: 'viewer' });
      const joined = await caller.auth.signUp({ email: email(), name: 'Bob', password: PASSWORD, invitationToken: token });
      expect(joined.teamSlug).toBe(team.teamSlug);
      expect(await closed.t.db.team.count()).toBe(1);
      expect(await closed.t.db.membership.findFirst({ where: { userId: joined.userId }, select: { role: true } })).toEqual({ role: 'viewer' });
    } finally {
      await closed.close();
    }
  });
});

describe('teams', () => {
  it('lists mine with my role, creates, gets and renames (admin and up); a user with several teams picks by slug', async () => {
    const owner = await signUp();
    const second = await owner.me.teams.create({ slug: `t2-${randomUUID().slice(0, 8)}`, name: 'Second' });
    expect(second.role).toBe('owner');
    const other = await seedTeam(h.t.db);
    await h.t.db.membership.create({ data: { teamId: other.teamId, userId: owner.userId, role: 'viewer' } });
    expect((await owner.me.teams.list()).map((t) => [t.slug, t.role])).toEqual([
      [owner.teamSlug, 'owner'],
      [second.slug, 'owner'],
      [other.teamSlug, 'viewer'],
    ]);
    expect(await owner.me.teams.get({ teamSlug: second.slug })).toMatchObject({ name: 'Second', role: 'owner', memberCount: 1, projectCount: 1 });
    expect((await owner.me.teams.rename({ teamSlug: second.slug, name: 'Renamed' })).name).toBe('Renamed');
    // The same caller is a viewer in the other team: reads there, cannot change it.
    expect((await owner.me.teams.get({ teamSlug: other.teamSlug })).role).toBe('viewer');
    expect((await errorOf(owner.me.teams.rename({ teamSlug: other.teamSlug, name: 'x' })))?.code).toBe('FORBIDDEN');
    expect((await errorOf(owner.me.teams.create({ slug: second.slug, name: 'x' })))?.code).toBe('CONFLICT');
  });

  it('keeps an API key bound to its team, even when its user belongs to others', async () => {
    const a = await seedTeam(h.t.db);
    const b = await seedTeam(h.t.db);
    await h.t.db.membership.create({ data: { teamId: b.teamId, userId: a.userId, role: 'owner' } });
    const keyOfA = await h.bearer(a.apiKey);
    expect((await keyOfA.teams.list()).map((t) => t.slug)).toEqual([a.teamSlug]);
    expect((await errorOf(keyOfA.runs.list({ teamSlug: b.teamSlug })))?.code).toBe('NOT_FOUND');
    expect((await errorOf(keyOfA.teams.create({ slug: `k-${randomUUID().slice(0, 8)}`, name: 'k' })))?.code).toBe('FORBIDDEN');
  });
});

describe('members', () => {
  async function teamWith(...roles: ('owner' | 'admin' | 'member' | 'viewer')[]) {
    const team = await seedTeam(h.t.db);
    const owner = (await h.callerFor({ cookie: (await seedMember(h.t.db, team.teamId, 'owner')).cookie })).caller;
    const people = [];
    for (const role of roles) {
      const m = await seedMember(h.t.db, team.teamId, role);
      people.push({ ...m, caller: (await h.callerFor({ cookie: m.cookie })).caller });
    }
    return { team, owner, people };
  }

  it('admins set roles below owner; only an owner makes or unmakes owners', async () => {
    const { team, owner, people } = await teamWith('admin', 'member');
    const [admin, member] = people as [(typeof people)[number], (typeof people)[number]];
    const teamSlug = team.teamSlug;
    expect((await admin.caller.members.setRole({ teamSlug, userId: member.userId, role: 'viewer' })).role).toBe('viewer');
    const promote = await errorOf(admin.caller.members.setRole({ teamSlug, userId: member.userId, role: 'owner' }));
    expect(promote?.message).toBe('only an owner may make or unmake owners');
    expect((await errorOf(admin.caller.members.setRole({ teamSlug, userId: team.userId, role: 'member' })))?.code).toBe('FORBIDDEN');
    expect((await errorOf(member.caller.members.setRole({ teamSlug, userId: member.userId, role: 'admin' })))?.code).toBe('FORBIDDEN');
    expect((await owner.members.setRole({ teamSlug, userId: admin.userId, role: 'owner' })).role).toBe('owner');
    expect((await errorOf(owner.members.setRole({ teamSlug, userId: randomUUID(), role: 'member' })))?.code).toBe('NOT_FOUND');
    expect((await owner.members.list({ teamSlug })).map((m) => m.role).sort()).toEqual(['owner', 'owner', 'owner', 'viewer']);
  });

  it('never demotes or removes the last owner, also when two owners demote each other at once', async () => {
    const team = await seedTeam(h.t.db);
    const second = await seedMember(h.t.db, team.teamId, 'owner');
    const ownerA = (await h.callerFor({ cookie: second.cookie })).caller;
    // An owner's key with the admin scope acts as an admin: it may not remove owners.
    const adminKey = await h.bearer((await createApiKey(h.t.db, { teamId: team.teamId, userId: team.userId, name: 'o', scopes: ['admin'] })).key);
    const sessionOfFirst = (await h.callerFor({ cookie: await loginCookie(team.email, team.password) })).caller;
    const results = await Promise.all([
      errorOf(ownerA.members.setRole({ teamSlug: team.teamSlug, userId: team.userId, role: 'admin' })),
      errorOf(sessionOfFirst.members.setRole({ teamSlug: team.teamSlug, userId: second.userId, role: 'admin' })),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    // The loser is refused either as the last owner, or (when the other demotion committed before its access check) as no longer an owner.
    expect(['PRECONDITION_FAILED', 'FORBIDDEN']).toContain(results.find((r) => r !== null)?.code);
    expect(await h.t.db.membership.count({ where: { teamId: team.teamId, role: 'owner' } })).toBe(1);
    const lastOwner = (await h.t.db.membership.findFirstOrThrow({ where: { teamId: team.teamId, role: 'owner' } })).userId;
    const survivor = lastOwner === team.userId ? sessionOfFirst : ownerA;
    expect((await errorOf(survivor.members.leave({ teamSlug: team.teamSlug })))?.message).toMatch(/keeps at least one owner/);
    expect((await errorOf(survivor.members.remove({ teamSlug: team.teamSlug, userId: lastOwner })))?.code).toBe('PRECONDITION_FAILED');
    expect((await errorOf(adminKey.members.remove({ teamSlug: team.teamSlug, userId: lastOwner })))?.code).toBe('FORBIDDEN');
  });

  it('removing a member ends their access and revokes their keys for the team; anyone may leave', async () => {
    const { team, owner, people } = await teamWith('member', 'viewer');
    const [member, viewer] = people as [(typeof people)[number], (typeof people)[number]];
    const key = await createApiKey(h.t.db, { teamId: team.teamId, userId: member.userId, name: 'm', scopes: ['runs:write'] });
    const keyCaller = await h.bearer(key.key);
    expect((await keyCaller.runs.list({ teamSlug: team.teamSlug })).runs).toEqual([]);
    expect((await owner.members.remove({ teamSlug: team.teamSlug, userId: member.userId })).userId).toBe(member.userId);
    expect((await errorOf(member.caller.runs.list({ teamSlug: team.teamSlug })))?.code).toBe('NOT_FOUND');
    // The next request with the key: revoked with the membership.
    expect((await errorOf((await h.bearer(key.key)).runs.list({ teamSlug: team.teamSlug })))?.code).toBe('UNAUTHORIZED');
    expect((await h.t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeInstanceOf(Date);
    expect((await viewer.caller.members.leave({ teamSlug: team.teamSlug })).role).toBe('viewer');
    expect((await errorOf(viewer.caller.teams.get({ teamSlug: team.teamSlug })))?.code).toBe('NOT_FOUND');
  });
});

async function loginCookie(address: string, password: string): Promise<string> {
  const { caller, cookies } = await h.callerFor({});
  await caller.auth.login({ email: address, password });
  return `${SESSION_COOKIE}=${sessionOf(cookies)}`;
}

describe('invitations', () => {
  it('an admin invites with a one-time token (only its hash stored); the invitee joins with its role, once', async () => {
    const team = await seedTeam(h.t.db);
    const owner = (await h.callerFor({ cookie: await loginCookie(team.email, team.password) })).caller;
    const created = await owner.invitations.create({ teamSlug: team.teamSlug, invitee: 'grace@example.test', role: 'admin', expiresInDays: 2 });
    expect(created).toMatchObject({ invitee: 'grace@example.test', role: 'admin', status: 'pending' });
    expect(created.token).toMatch(/^hzi_[\w-]{40,}$/);
    const row = await h.t.db.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(JSON.stringify(await owner.invitations.list({ teamSlug: team.teamSlug }))).not.toContain(created.token);

    const grace = await signUp();
    expect(await grace.me.invitations.accept({ token: created.token })).toEqual({ teamSlug: team.teamSlug, role: 'admin' });
    expect((await grace.me.teams.list()).map((t) => [t.slug, t.role])).toContainEqual([team.teamSlug, 'admin']);
    const again = await errorOf((await signUp()).me.invitations.accept({ token: created.token }));
    expect(again?.code).toBe('PRECONDITION_FAILED');
    expect(again?.message).toBe('this invitation was accepted already; ask for a new one');
    expect((await owner.invitations.list({ teamSlug: team.teamSlug }))[0]?.status).toBe('accepted');
  });

  it('refuses revoked, expired and unknown tokens with clear words; one token raced by two users admits one', async () => {
    const team = await seedTeam(h.t.db);
    const admin = await h.bearer((await createApiKey(h.t.db, { teamId: team.teamId, userId: team.userId, name: 'a', scopes: ['admin'] })).key);
    const user = await signUp();
    const revoked = await admin.invitations.create({ teamSlug: team.teamSlug, invitee: 'x' });
    expect((await admin.invitations.revoke({ teamSlug: team.teamSlug, invitationId: revoked.id })).status).toBe('revoked');
    expect((await errorOf(user.me.invitations.accept({ token: revoked.token })))?.message).toBe('this invitation was revoked already; ask for a new one');
    const expired = await admin.invitations.create({ teamSlug: team.teamSlug, invitee: 'y' });
    await h.t.db.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await errorOf(user.me.invitations.accept({ token: expired.token })))?.message).toMatch(/^this invitation expired at /);
    expect((await errorOf(user.me.invitations.accept({ token: 'hzi_nope' })))?.code).toBe('NOT_FOUND');
    expect((await errorOf(user.me.invitations.accept({ token: 'not-a-token' })))?.code).toBe('BAD_REQUEST');
    expect((await errorOf(admin.invitations.create({ teamSlug: team.teamSlug, invitee: 'z', role: 'owner' })))?.message).toBe('only an owner may invite owners');
    expect((await errorOf(admin.invitations.revoke({ teamSlug: team.teamSlug, invitationId: randomUUID() })))?.code).toBe('NOT_FOUND');

    const raced = await admin.invitations.create({ teamSlug: team.teamSlug, invitee: 'race' });
    const [u1, u2] = await Promise.all([signUp(), signUp()]);
    const results = await Promise.all([errorOf(u1.me.invitations.accept({ token: raced.token })), errorOf(u2.me.invitations.accept({ token: raced.token }))]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(await h.t.db.membership.count({ where: { teamId: team.teamId, userId: { in: [u1.userId, u2.userId] } } })).toBe(1);
  });

  it('keeps the higher role of a member who accepts a lower invitation; a worker token cannot accept', async () => {
    const team = await seedTeam(h.t.db);
    const owner = (await h.callerFor({ cookie: await loginCookie(team.email, team.password) })).caller;
    const inv = await owner.invitations.create({ teamSlug: team.teamSlug, invitee: 'me', role: 'viewer' });
    expect((await errorOf((await h.bearer(team.workerToken)).invitations.accept({ token: inv.token })))?.code).toBe('FORBIDDEN');
    expect(await owner.invitations.accept({ token: inv.token })).toEqual({ teamSlug: team.teamSlug, role: 'owner' });
  });
});

describe('projects', () => {
  it('lists, creates (slug rules), renames and archives; an archived project refuses new runs and is listed with a flag', async () => {
    const team = await seedTeam(h.t.db);
    const api = await h.bearer(team.apiKey);
    const admin = await h.bearer((await createApiKey(h.t.db, { teamId: team.teamId, userId: team.userId, name: 'a', scopes: ['admin'] })).key);
    const teamSlug = team.teamSlug;
    expect(await api.projects.create({ teamSlug, projectSlug: 'cifar-sweeps', name: 'CIFAR sweeps' })).toMatchObject({ slug: 'cifar-sweeps', archived: false, runCount: 0 });
    expect((await errorOf(api.projects.create({ teamSlug, projectSlug: 'cifar-sweeps' })))?.code).toBe('CONFLICT');
    const bad = await errorOf(api.projects.create({ teamSlug, projectSlug: 'Bad Slug' }));
    expect(bad?.code).toBe('BAD_REQUEST');
    expect(bad?.message).toMatch(/lowercase letters, digits and dashes/);
    await api.runs.create({ teamSlug, projectSlug: 'cifar-sweeps', config: { architecture: 'mlp', epochs: 1 } });
    expect((await errorOf(api.projects.archive({ teamSlug, projectSlug: 'cifar-sweeps' })))?.code).toBe('FORBIDDEN');
    expect(await admin.projects.rename({ teamSlug, projectSlug: 'cifar-sweeps', name: 'CIFAR' })).toMatchObject({ name: 'CIFAR' });
    expect(await admin.projects.archive({ teamSlug, projectSlug: 'cifar-sweeps' })).toMatchObject({ archived: true, runCount: 1 });
    const refused = await errorOf(api.runs.create({ teamSlug, projectSlug: 'cifar-sweeps', config: { architecture: 'mlp', epochs: 1 } }));
    expect(refused?.code).toBe('PRECONDITION_FAILED');
    expect(refused?.message).toBe('project "cifar-sweeps" is archived; unarchive it to add runs');
    expect((await api.projects.list({ teamSlug })).map((p) => [p.slug, p.archived])).toEqual([
      ['default', false],
      ['cifar-sweeps', true],
    ]);
    expect((await api.runs.list({ teamSlug, projectSlug: 'cifar-sweeps' })).runs).toHaveLength(1);
    await admin.projects.archive({ teamSlug, projectSlug: 'cifar-sweeps', archived: false });
    expect((await api.runs.create({ teamSlug, projectSlug: 'cifar-sweeps', config: { architecture: 'mlp', epochs: 1 } })).projectSlug).toBe('cifar-sweeps');
    expect((await errorOf(admin.projects.archive({ teamSlug, projectSlug: 'nope' })))?.code).toBe('NOT_FOUND');
  });
});

describe('API keys', () => {
  it('every member makes keys for themselves, at most their role; a member sees and revokes only their own, an admin all', async () => {
    const team = await seedTeam(h.t.db);
    const { teamSlug } = team;
    const session = async (role: 'viewer' | 'member') => (await h.callerFor({ cookie: (await seedMember(h.t.db, team.teamId, role)).cookie })).caller;
    const viewer = await session('viewer');
    const member = await session('member');
    const other = await session('member');

    // A viewer (joined by `hz join`) gets a read key, and nothing more.
    const viewerKey = await viewer.keys.create({ teamSlug, name: 'laptop', scopes: ['runs:read'] });
    const refusedWrite = await errorOf(viewer.keys.create({ teamSlug, name: 'w', scopes: ['runs:read', 'runs:write'] }));
    expect(refusedWrite?.code).toBe('FORBIDDEN');
    expect(refusedWrite?.message).toBe(`scopes: "runs:write" needs role member in team "${teamSlug}", caller has viewer`);
    const asViewerKey = await h.bearer(viewerKey.key);
    expect((await asViewerKey.runs.list({ teamSlug })).runs).toEqual([]);
    expect((await errorOf(asViewerKey.runs.create({ teamSlug, config: { architecture: 'mlp', epochs: 1 } })))?.code).toBe('FORBIDDEN');
    expect((await errorOf(asViewerKey.keys.create({ teamSlug, name: 'up', scopes: ['runs:write'] })))?.code).toBe('FORBIDDEN');

    // A member: read and write keys; no admin key, no worker token.
    const memberKey = await member.keys.create({ teamSlug, name: 'ci', scopes: ['runs:read', 'runs:write'] });
    for (const scope of ['admin', 'worker'] as const) {
      expect((await errorOf(member.keys.create({ teamSlug, name: scope, scopes: [scope] })))?.message).toMatch(new RegExp(`"${scope}" needs role admin`));
    }
    const asMemberKey = await h.bearer(memberKey.key);
    expect((await asMemberKey.runs.create({ teamSlug, config: { architecture: 'mlp', epochs: 1 } })).status).toBe('queued');
    const otherKey = await other.keys.create({ teamSlug, name: 'other', scopes: ['runs:write'] });

    // Each member sees only their own keys (by session or by their key); another's key does not exist for them.
    expect((await member.keys.list({ teamSlug })).map((k) => k.id)).toEqual([memberKey.id]);
    expect((await asMemberKey.keys.list({ teamSlug })).map((k) => k.id)).toEqual([memberKey.id]);
    expect((await viewer.keys.list({ teamSlug })).map((k) => k.id)).toEqual([viewerKey.id]);
    const foreign = await errorOf(member.keys.revoke({ teamSlug, keyId: otherKey.id }));
    expect(foreign?.code).toBe('NOT_FOUND');
    expect(foreign?.message).toBe(`API key ${otherKey.id} not found`);
    expect((await (await h.bearer(otherKey.key)).runs.list({ teamSlug })).runs).toHaveLength(1);

    // An admin sees and revokes every key of the team.
    const admin = await h.bearer((await createApiKey(h.t.db, { teamId: team.teamId, userId: team.userId, name: 'admin', scopes: ['admin'] })).key);
    // The owner's runs:write key counts as a member's: it too sees only the owner's keys.
    expect((await (await h.bearer(team.apiKey)).keys.list({ teamSlug })).map((k) => k.id)).not.toContain(memberKey.id);
    expect((await admin.keys.list({ teamSlug })).map((k) => k.id)).toEqual(expect.arrayContaining([viewerKey.id, memberKey.id, otherKey.id]));
    expect((await admin.keys.revoke({ teamSlug, keyId: otherKey.id })).revokedAt).toBeInstanceOf(Date);
    expect((await errorOf((await h.bearer(otherKey.key)).runs.list({ teamSlug })))?.code).toBe('UNAUTHORIZED');
    // A member revokes their own.
    expect((await member.keys.revoke({ teamSlug, keyId: memberKey.id })).revokedAt).toBeInstanceOf(Date);
    expect((await errorOf((await h.bearer(memberKey.key)).runs.list({ teamSlug })))?.code).toBe('UNAUTHORIZED');
  });

  it("a user's key of another team makes keys only for its user in the teams they joined, at most member and at most itself", async () => {
    const x = await seedTeam(h.t.db);
    const y = await seedTeam(h.t.db);
    // y's owner joins x as admin; their admin key of team y still gets at most a member's keys in x.
    await h.t.db.membership.create({ data: { teamId: x.teamId, userId: y.userId, role: 'admin' } });
    const yAdmin = await h.bearer((await createApiKey(h.t.db, { teamId: y.teamId, userId: y.userId, name: 'y-admin', scopes: ['admin'] })).key);
    const made = await yAdmin.keys.create({ teamSlug: x.teamSlug, name: 'for-x' });
    expect(made.scopes).toEqual(['runs:read', 'runs:write']);
    expect((await (await h.bearer(made.key)).runs.list({ teamSlug: x.teamSlug })).runs).toEqual([]);
    expect((await errorOf(yAdmin.keys.create({ teamSlug: x.teamSlug, name: 'a', scopes: ['admin'] })))?.message).toMatch(/"admin" needs role admin in team .*caller has member/);
    expect((await yAdmin.keys.list({ teamSlug: x.teamSlug })).map((k) => k.id)).toEqual([made.id]);
    // A read key mints no write key; a team the user is not in is not found.
    const yRead = await h.bearer((await createApiKey(h.t.db, { teamId: y.teamId, userId: y.userId, name: 'y-read', scopes: ['runs:read'] })).key);
    expect((await yRead.keys.create({ teamSlug: x.teamSlug, name: 'r' })).scopes).toEqual(['runs:read']);
    const z = await seedTeam(h.t.db);
    expect((await errorOf(yAdmin.keys.create({ teamSlug: z.teamSlug, name: 'z' })))?.message).toBe(`team "${z.teamSlug}" not found`);
    // Other procedures stay bound to the key's own team.
    expect((await errorOf(yAdmin.runs.list({ teamSlug: x.teamSlug })))?.code).toBe('NOT_FOUND');
  });

  it('a read key cannot mutate; expiry and revocation act on the next request; last use is recorded', async () => {
    const team = await seedTeam(h.t.db);
    const admin = await h.bearer((await createApiKey(h.t.db, { teamId: team.teamId, userId: team.userId, name: 'a', scopes: ['admin'] })).key);
    const read = await admin.keys.create({ teamSlug: team.teamSlug, name: 'read', scopes: ['runs:read'], expiresInDays: 1 });
    const reader = await h.bearer(read.key);
    expect((await reader.runs.list({ teamSlug: team.teamSlug })).runs).toEqual([]);
    const refused = await errorOf(reader.runs.create({ teamSlug: team.teamSlug, config: { architecture: 'mlp', epochs: 1 } }));
    expect(refused?.code).toBe('FORBIDDEN');
    expect(refused?.message).toMatch(/needs role member/);
    expect((await errorOf(reader.projects.create({ teamSlug: team.teamSlug, projectSlug: 'x' })))?.code).toBe('FORBIDDEN');
    expect((await admin.keys.list({ teamSlug: team.teamSlug })).find((k) => k.id === read.id)?.lastUsedAt).toBeInstanceOf(Date);

    await h.t.db.apiKey.update({ where: { id: read.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await errorOf((await h.bearer(read.key)).runs.list({ teamSlug: team.teamSlug })))?.code).toBe('UNAUTHORIZED');

    const write = await admin.keys.create({ teamSlug: team.teamSlug, name: 'write', scopes: ['runs:write'] });
    expect((await (await h.bearer(write.key)).runs.list({ teamSlug: team.teamSlug })).runs).toEqual([]);
    await admin.keys.revoke({ teamSlug: team.teamSlug, keyId: write.id });
    expect((await errorOf((await h.bearer(write.key)).runs.list({ teamSlug: team.teamSlug })))?.code).toBe('UNAUTHORIZED');
  });

  it('a user key never does more than its user may now (demoted to viewer: read only)', async () => {
    const team = await seedTeam(h.t.db);
    const m = await seedMember(h.t.db, team.teamId, 'member');
    const key = await createApiKey(h.t.db, { teamId: team.teamId, userId: m.userId, name: 'm', scopes: ['runs:read', 'runs:write'] });
    const api = await h.bearer(key.key);
    await api.runs.create({ teamSlug: team.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    await h.t.db.membership.update({ where: { teamId_userId: { teamId: team.teamId, userId: m.userId } }, data: { role: 'viewer' } });
    // The next request (a new context: the key and its user's role are read once per request).
    const next = await h.bearer(key.key);
    const refused = await errorOf(next.runs.create({ teamSlug: team.teamSlug, config: { architecture: 'mlp', epochs: 1 } }));
    expect(refused?.code).toBe('FORBIDDEN');
    expect(refused?.message).toMatch(/caller has viewer/);
    expect((await next.runs.list({ teamSlug: team.teamSlug })).runs).toHaveLength(1);
    // Removed from the team: the key no longer finds it.
    await h.t.db.membership.delete({ where: { teamId_userId: { teamId: team.teamId, userId: m.userId } } });
    expect((await errorOf((await h.bearer(key.key)).runs.list({ teamSlug: team.teamSlug })))?.code).toBe('NOT_FOUND');
  });
});
