// runs.create against careless and hostile input: idempotency keys, transfer sources, data folders.
import { randomUUID } from 'node:crypto';

import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

const MLP = { architecture: 'mlp' as const, epochs: 1 };
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

describe('runs.create', () => {
  it('makes one run for one idempotency key, also when the calls race', async () => {
    const a = await seedTeam(h.t.db);
    const api = await h.bearer(a.apiKey);
    const key = randomUUID();
    const first = await api.runs.create({ teamSlug: a.teamSlug, config: MLP, idempotencyKey: key });
    const again = await api.runs.create({ teamSlug: a.teamSlug, config: MLP, idempotencyKey: key });
    expect(again.id).toBe(first.id);
    const raced = await Promise.all(Array.from({ length: 8 }, () => api.runs.create({ teamSlug: a.teamSlug, projectSlug: 'race', config: MLP, idempotencyKey: key })));
    expect(new Set(raced.map((r) => r.id)).size).toBe(1);
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(2);
    // Without a key every call is a new run.
    await api.runs.create({ teamSlug: a.teamSlug, config: MLP });
    await api.runs.create({ teamSlug: a.teamSlug, config: MLP });
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(4);
  });

  it("refuses transfer.fromRunId of another team's run, as if it did not exist", async () => {
    const a = await seedTeam(h.t.db);
    const b = await seedTeam(h.t.db);
    const runOfB = await (await h.bearer(b.apiKey)).runs.create({ teamSlug: b.teamSlug, config: MLP });
    const runOfA = await (await h.bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    const api = await h.bearer(a.apiKey);
    const transfer = (fromRunId: string) => ({ architecture: 'transfer' as const, epochs: 1, transfer: { fromRunId } });
    const foreign = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer(runOfB.id) }));
    const missing = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer(randomUUID()) }));
    const notAnId = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer('pretrain-mnist') }));
    for (const e of [foreign, missing, notAnId]) expect(e?.code).toBe('NOT_FOUND');
    expect(foreign?.message.replace(runOfB.id, 'X')).toBe(`transfer.fromRunId: run X not found`);
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(1);
    const ok = await api.runs.create({ teamSlug: a.teamSlug, config: transfer(runOfA.id) });
    expect(ok.architecture).toBe('transfer');
  });

  it('refuses a data folder that climbs out with ..', async () => {
    const a = await seedTeam(h.t.db);
    const api = await h.bearer(a.apiKey);
    for (const folder of ['..', '../etc', 'a/../../b', './x']) {
      const e = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: { ...MLP, data: { dataset: 'image-folder', folder } } }));
      expect(e?.code, folder).toBe('BAD_REQUEST');
      expect(e?.message, folder).toMatch(/config\.data\.folder|folder/);
    }
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(0);
  });
});
