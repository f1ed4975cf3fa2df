// The platform pool: the operator's pool team's workers also serve the teams that opted in, and
// only those; a team's waiting jobs move with it when it opts in or out.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { trainQueueName } from '@hyperzoo/queue';

import { createApiKey } from './services/auth';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let h: RouterHarness;
beforeAll(async () => {
  h = await startRouterHarness();
});
afterAll(async () => {
  await h?.close();
});

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
const epoch = { epoch: 1, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, duration_ms: 5, images_per_sec: 10 };
const result = { status: 'succeeded', bestEpoch: 1, stoppedEpoch: null, testLoss: 1, testAccuracy: 0.5, paramCount: 10, backend: 'cpu', device: 'x', error: null } as const;

/** Which team's cpu queue holds the run's job, if any. */
async function queueOf(runId: string, teams: Record<string, string>): Promise<string | null> {
  for (const [name, teamId] of Object.entries(teams)) {
    if ((await h.redis.exists(`bull:${trainQueueName(teamId, 'cpu', h.prefix)}:${runId}`)) === 1) return name;
  }
  return null;
}

async function adminOf(team: Awaited<ReturnType<typeof seedTeam>>) {
  const { key } = await createApiKey(h.t.db, { teamId: team.teamId, userId: team.userId, name: 'admin', scopes: ['admin'] });
  return h.bearer(key);
}

describe('without a platform pool', () => {
  it('refuses to opt a team in, and says why', async () => {
    const a = await seedTeam(h.t.db);
    const admin = await adminOf(a);
    await expect(admin.teams.setPlatformPool({ teamSlug: a.teamSlug, enabled: true })).rejects.toThrow(/no shared worker pool.*HZ_PLATFORM_POOL_TEAM/);
    expect(await admin.teams.get({ teamSlug: a.teamSlug })).toMatchObject({ usesPlatformPool: false, platformPool: 'none' });
  });
});

describe('with a platform pool', () => {
  let pool: Awaited<ReturnType<typeof seedTeam>>;
  beforeAll(async () => {
    pool = await seedTeam(h.t.db);
    h.deps.policy.platformPoolTeamId = pool.teamId;
  });
  afterAll(() => {
    h.deps.policy.platformPoolTeamId = null;
  });

  it('moves an opted-in team’s jobs to the pool, where the pool’s workers serve them; opting out moves them back', async () => {
    const a = await seedTeam(h.t.db);
    const b = await seedTeam(h.t.db);
    const teams = { a: a.teamId, b: b.teamId, pool: pool.teamId };
    const userA = await h.bearer(a.apiKey);
    const userB = await h.bearer(b.apiKey);
    const poolWorker = await h.bearer(pool.workerToken);
    const workerA = await h.bearer(a.workerToken);

    const waiting = await userA.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    const runB = await userB.runs.create({ teamSlug: b.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    expect(await queueOf(waiting.id, teams)).toBe('a');
    expect(await codeOf(poolWorker.worker.startRun({ runId: waiting.id, backend: 'cpu', device: 'x' }))).toBe('NOT_FOUND');

    // Only an admin opts in.
    const member = await h.bearer((await createApiKey(h.t.db, { teamId: a.teamId, userId: a.userId, name: 'm', scopes: ['runs:write'] })).key);
    expect(await codeOf(member.teams.setPlatformPool({ teamSlug: a.teamSlug, enabled: true }))).toBe('FORBIDDEN');
    const admin = await adminOf(a);
    expect(await admin.teams.setPlatformPool({ teamSlug: a.teamSlug, enabled: true })).toEqual({ usesPlatformPool: true, moved: 1 });
    expect(await admin.teams.get({ teamSlug: a.teamSlug })).toMatchObject({ usesPlatformPool: true, platformPool: 'available' });
    expect(await queueOf(waiting.id, teams)).toBe('pool');
    const fresh = await userA.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    expect(await queueOf(fresh.id, teams)).toBe('pool');
    // A team that did not opt in stays in its own queue, out of the pool's reach.
    expect(await queueOf(runB.id, teams)).toBe('b');
    expect(await codeOf(poolWorker.worker.startRun({ runId: runB.id, backend: 'cpu', device: 'x' }))).toBe('NOT_FOUND');

    // The pool's worker trains A's run from start to end; A's own workers still may.
    const { attempt } = await poolWorker.worker.startRun({ runId: waiting.id, backend: 'cpu', device: 'x' });
    expect((await poolWorker.worker.reportEpochs({ runId: waiting.id, attempt, epochs: [epoch] })).stored).toBe(1);
    expect(await poolWorker.worker.runControl({ runId: waiting.id })).toMatchObject({ status: 'running' });
    await poolWorker.worker.finishRun({ runId: waiting.id, attempt, result });
    expect((await userA.runs.get({ runId: waiting.id })).status).toBe('succeeded');
    expect(await codeOf(workerA.worker.startRun({ runId: fresh.id, backend: 'cpu', device: 'x' }))).toBe('OK');
    // B's token never reaches A's runs, pool or not.
    expect(await codeOf((await h.bearer(b.workerToken)).worker.runControl({ runId: fresh.id }))).toBe('NOT_FOUND');

    const third = await userA.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 1 } });
    expect(await admin.teams.setPlatformPool({ teamSlug: a.teamSlug, enabled: false })).toEqual({ usesPlatformPool: false, moved: 1 });
    expect(await queueOf(third.id, teams)).toBe('a');
    expect(await codeOf(poolWorker.worker.startRun({ runId: third.id, backend: 'cpu', device: 'x' }))).toBe('NOT_FOUND');
    // Setting what is already set moves nothing.
    expect(await admin.teams.setPlatformPool({ teamSlug: a.teamSlug, enabled: false })).toEqual({ usesPlatformPool: false, moved: 0 });
  });

  it('the pool team itself cannot opt in, and sees that it is the pool', async () => {
    const admin = await adminOf(pool);
    expect(await admin.teams.get({ teamSlug: pool.teamSlug })).toMatchObject({ usesPlatformPool: false, platformPool: 'this-team' });
    await expect(admin.teams.setPlatformPool({ teamSlug: pool.teamSlug, enabled: true })).rejects.toThrow(/already serve it/);
  });
});
