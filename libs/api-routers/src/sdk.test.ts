import { randomUUID } from 'node:crypto';

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey } from './services/auth';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

const epoch = (n: number, loss = 1) => ({ epoch: n, loss, accuracy: 0.5, val_loss: 1.1, val_accuracy: 0.4, lr: null, duration_ms: 5, images_per_sec: 10 });
const result = { status: 'succeeded' as const, bestEpoch: 2, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: 10, backend: null, device: null, error: null };
const config = { architecture: 'mlp' as const, epochs: 2 };
const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

let h: RouterHarness;
let a: Awaited<ReturnType<typeof seedTeam>>;
let b: Awaited<ReturnType<typeof seedTeam>>;
beforeAll(async () => {
  h = await startRouterHarness();
  a = await seedTeam(h.t.db);
  b = await seedTeam(h.t.db);
});
afterAll(async () => {
  await h?.close();
});

describe('sdk runs', () => {
  it('a runs:write key creates a running run with no job, logs epochs and finishes it; a second create finds the same run', async () => {
    const user = await h.bearer(a.apiKey);
    const runId = randomUUID();
    const created = await user.sdk.createRun({ teamSlug: a.teamSlug, runId, projectSlug: 'notebook', config });
    expect(created).toMatchObject({ id: runId, status: 'running', attempt: 1, projectSlug: 'notebook', architecture: 'mlp' });
    expect(await h.queues.has(runId, { teamId: a.teamId, resourceClass: 'cpu' })).toBe(false);
    expect(await h.t.db.run.findUniqueOrThrow({ where: { id: runId }, select: { source: true } })).toEqual({ source: 'sdk' });

    expect(await user.sdk.logEpochs({ runId, epochs: [epoch(1), epoch(2)] })).toEqual({ stored: 2, cancelRequested: false });
    expect(await user.sdk.logEpochs({ runId, epochs: [epoch(2, 0.5)] })).toMatchObject({ stored: 1 });
    expect((await user.sdk.createRun({ teamSlug: a.teamSlug, runId, projectSlug: 'notebook', config })).id).toBe(runId);
    expect(await user.sdk.finishRun({ runId, result })).toMatchObject({ status: 'succeeded', bestEpoch: 2 });
    // A replayed finish is a no-op.
    expect(await user.sdk.finishRun({ runId, result: { ...result, status: 'failed', error: 'late' } })).toMatchObject({ status: 'succeeded' });
    const rows = await h.t.db.epochMetric.findMany({ where: { runId }, orderBy: { epoch: 'asc' }, select: { epoch: true, loss: true } });
    expect(rows).toEqual([
      { epoch: 1, loss: 1 },
      { epoch: 2, loss: 0.5 },
    ]);
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(1);
  });

  it('refuses a run id taken by another team, and does not log to worker runs', async () => {
    const user = await h.bearer(a.apiKey);
    const runOfB = await (await h.bearer(b.apiKey)).sdk.createRun({ teamSlug: b.teamSlug, runId: randomUUID(), config });
    expect(await codeOf(user.sdk.createRun({ teamSlug: a.teamSlug, runId: runOfB.id, config }))).toBe('CONFLICT');
    expect(await codeOf(user.sdk.logEpochs({ runId: runOfB.id, epochs: [epoch(1)] }))).toBe('NOT_FOUND');

    const workerRun = await user.runs.create({ teamSlug: a.teamSlug, config });
    expect(await codeOf(user.sdk.logEpochs({ runId: workerRun.id, epochs: [epoch(1)] }))).toBe('FORBIDDEN');
    expect(await codeOf(user.sdk.finishRun({ runId: workerRun.id, result }))).toBe('FORBIDDEN');
    expect(await codeOf(user.sdk.createRun({ teamSlug: a.teamSlug, runId: workerRun.id, config }))).toBe('CONFLICT');
    expect(await h.t.db.epochMetric.count({ where: { runId: workerRun.id } })).toBe(0);
  });

  it('refuses a read-only key', async () => {
    const readKey = await createApiKey(h.t.db, { teamId: a.teamId, userId: a.userId, name: 'ro', scopes: ['runs:read'] });
    const reader = await h.bearer(readKey.key);
    expect(await codeOf(reader.sdk.createRun({ teamSlug: a.teamSlug, runId: randomUUID(), config }))).toBe('FORBIDDEN');
  });
});

describe('api keys', () => {
  it('an admin creates a key shown once (hash stored), lists it by prefix, and a revoked or expired key stops working on its next request', async () => {
    const owner = await h.bearer((await createApiKey(h.t.db, { teamId: a.teamId, userId: a.userId, name: 'adm', scopes: ['admin'] })).key);
    const created = await owner.keys.create({ teamSlug: a.teamSlug, name: 'ci', scopes: ['runs:read'], expiresInDays: 30 });
    expect(created.key).toMatch(new RegExp(`^hz_${created.prefix}_`));
    expect(created.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const row = await h.t.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    // The secret is what follows the prefix: it may itself hold '_' (base64url), so no split.
    const secret = created.key.slice(`hz_${created.prefix}_`.length);
    expect(secret.length).toBeGreaterThan(20);
    expect(row.keyHash).not.toContain(secret);

    // Each request resolves its key anew (a caller here is one request's context).
    const ci = () => h.bearer(created.key);
    expect((await (await ci()).runs.list({ teamSlug: a.teamSlug })).runs.length).toBeGreaterThan(0);
    const listed = await owner.keys.list({ teamSlug: a.teamSlug });
    const mine = listed.find((k) => k.id === created.id);
    expect(mine).toMatchObject({ prefix: created.prefix, scopes: ['runs:read'], revokedAt: null });
    expect(mine?.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    expect((await owner.keys.revoke({ teamSlug: a.teamSlug, keyId: created.id })).revokedAt).toBeInstanceOf(Date);
    expect(await codeOf((await ci()).runs.list({ teamSlug: a.teamSlug }))).toBe('UNAUTHORIZED');
    expect(await codeOf(owner.keys.revoke({ teamSlug: a.teamSlug, keyId: randomUUID() }))).toBe('NOT_FOUND');

    const soon = await owner.keys.create({ teamSlug: a.teamSlug, name: 'soon', scopes: ['runs:read'], expiresInDays: 1 });
    expect(await codeOf((await h.bearer(soon.key)).runs.list({ teamSlug: a.teamSlug }))).toBe('OK');
    await h.t.db.apiKey.update({ where: { id: soon.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await codeOf((await h.bearer(soon.key)).runs.list({ teamSlug: a.teamSlug }))).toBe('UNAUTHORIZED');
  });

  it('a member cannot manage keys, and another team cannot revoke this team’s key', async () => {
    const member = await h.bearer(a.apiKey);
    expect(await codeOf(member.keys.create({ teamSlug: a.teamSlug, name: 'x', scopes: ['admin'] }))).toBe('FORBIDDEN');
    const target = await createApiKey(h.t.db, { teamId: a.teamId, userId: null, name: 't', scopes: ['runs:read'] });
    const adminOfB = await h.bearer((await createApiKey(h.t.db, { teamId: b.teamId, userId: b.userId, name: 'adm', scopes: ['admin'] })).key);
    expect(await codeOf(adminOfB.keys.revoke({ teamSlug: b.teamSlug, keyId: target.id }))).toBe('NOT_FOUND');
    expect((await h.t.db.apiKey.findUniqueOrThrow({ where: { id: target.id } })).revokedAt).toBeNull();
  });
});
