// hz teams / projects / invite / join: the real binary against the real API process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth } from '@hyperzoo/api-routers';
import { seedTeam } from '@hyperzoo/api-routers/testing';

import { runHz, startApiProcess } from '../testing';
import type { TApiProcess } from '../testing';

let api: TApiProcess;
const json = <T>(r: { status: number | null; stdout: string; stderr: string }): T => {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

beforeAll(async () => {
  api = await startApiProcess();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

// Each hz process starts through tsx (seconds on a busy 2-core machine): generous timeouts.
describe('hz teams, projects, invite, join', { timeout: 240_000 }, () => {
  it('lists teams and projects, creates a project, invites with a one-time token that another user joins with once', async () => {
    const admin = await auth.createApiKey(api.db.db, { teamId: api.seed.teamId, userId: api.seed.userId, name: 'admin', scopes: ['admin'] });
    const env = { HZ_API_URL: api.url, HZ_API_KEY: admin.key };
    expect(json<{ slug: string; role: string }[]>(runHz(['teams', 'ls', '--json'], env))).toEqual([
      expect.objectContaining({ slug: api.seed.teamSlug, role: 'admin' }),
    ]);
    expect(json<{ slug: string; archived: boolean }>(runHz(['projects', 'create', 'cifar', '--name', 'CIFAR', '--json'], env))).toMatchObject({ slug: 'cifar', archived: false });
    expect(runHz(['projects', 'ls'], env).stdout).toMatch(/^cifar {2}0 runs {2}active {2}CIFAR/m);
    const badSlug = runHz(['projects', 'create', 'Not A Slug'], env);
    expect(badSlug.status).not.toBe(0);
    expect(badSlug.stderr).toMatch(/project slug: lowercase letters, digits and dashes/);

    const invited = json<{ token: string; role: string; invitee: string }>(runHz(['invite', 'grace@example.test', '--role', 'viewer', '--json'], env));
    expect(invited).toMatchObject({ role: 'viewer', invitee: 'grace@example.test' });
    const other = await seedTeam(api.db.db);
    const graceEnv = { HZ_API_URL: api.url, HZ_API_KEY: other.apiKey };
    expect(runHz(['join', invited.token], graceEnv).stdout.trim()).toBe(`joined ${api.seed.teamSlug} as viewer`);
    const again = runHz(['join', invited.token, '--json'], graceEnv);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/PRECONDITION_FAILED|accepted already/);
    expect(await api.db.db.membership.findFirst({ where: { teamId: api.seed.teamId, userId: other.userId }, select: { role: true } })).toEqual({ role: 'viewer' });
    // With the key of their own team, the new viewer makes a key for the team they joined: read-only, theirs.
    const made = json<{ key: string; scopes: string[] }>(runHz(['keys', 'create', '--team', api.seed.teamSlug, '--name', 'laptop', '--json'], graceEnv));
    expect(made.scopes).toEqual(['runs:read']);
    const joinedEnv = { HZ_API_URL: api.url, HZ_API_KEY: made.key };
    expect(runHz(['runs', 'ls', '--json'], joinedEnv).status).toBe(0);
    expect(runHz(['projects', 'create', 'mine'], joinedEnv).stderr).toMatch(/FORBIDDEN/);
    expect(runHz(['keys', 'create', '--team', api.seed.teamSlug, '--name', 'w', '--scopes', 'runs:write'], graceEnv).stderr).toMatch(/"runs:write" needs role member/);
    expect(json<{ id: string }[]>(runHz(['keys', 'ls', '--json'], joinedEnv))).toHaveLength(1);
    expect(runHz(['invite', 'x', '--role', 'root'], env).stderr).toMatch(/role: Invalid option/);
  });
});

describe('hz teams pool', { timeout: 240_000 }, () => {
  let pooled: TApiProcess;
  beforeAll(async () => {
    // The seeded team's workers are the platform pool.
    pooled = await startApiProcess((seed) => ({ HZ_PLATFORM_POOL_TEAM: seed.teamSlug }));
  }, 120_000);
  afterAll(async () => {
    await pooled?.close();
  });

  it('shows where a team’s runs go, and an admin opts it in and out', async () => {
    const team = await seedTeam(pooled.db.db);
    const admin = await auth.createApiKey(pooled.db.db, { teamId: team.teamId, userId: team.userId, name: 'admin', scopes: ['admin'] });
    const env = { HZ_API_URL: pooled.url, HZ_API_KEY: admin.key };
    expect(runHz(['teams', 'pool'], env).stdout.trim()).toBe(`${team.teamSlug}: its own workers (hz teams pool on to change)`);
    expect(json(runHz(['teams', 'pool', 'on', '--json'], env))).toEqual({ usesPlatformPool: true, moved: 0 });
    expect(json(runHz(['teams', 'pool', '--json'], env))).toEqual({ usesPlatformPool: true, platformPool: 'available' });
    expect(runHz(['teams', 'pool', 'off'], env).stdout.trim()).toBe(`${team.teamSlug}: its own workers now take its runs (0 waiting runs moved)`);
    const member = { HZ_API_URL: pooled.url, HZ_API_KEY: team.apiKey };
    expect(runHz(['teams', 'pool', 'on'], member).stderr).toMatch(/FORBIDDEN/);
    expect(runHz(['teams', 'pool', 'maybe'], env).stderr).toMatch(/expected on or off, got "maybe"/);
    const poolAdmin = await auth.createApiKey(pooled.db.db, { teamId: pooled.seed.teamId, userId: pooled.seed.userId, name: 'admin', scopes: ['admin'] });
    expect(runHz(['teams', 'pool'], { HZ_API_URL: pooled.url, HZ_API_KEY: poolAdmin.key }).stdout.trim()).toBe(
      `${pooled.seed.teamSlug} is the platform pool: its workers also serve the teams that opted in`,
    );
  });

  it('says when the platform has no pool', async () => {
    const admin = await auth.createApiKey(api.db.db, { teamId: api.seed.teamId, userId: api.seed.userId, name: 'admin2', scopes: ['admin'] });
    const env = { HZ_API_URL: api.url, HZ_API_KEY: admin.key };
    expect(runHz(['teams', 'pool'], env).stdout.trim()).toBe(`${api.seed.teamSlug}: its own workers (this platform has no shared pool)`);
    expect(runHz(['teams', 'pool', 'on'], env).stderr).toMatch(/no shared worker pool \(the operator sets HZ_PLATFORM_POOL_TEAM\)/);
  });
});
