// runs.create against careless and hostile input: idempotency keys, transfer sources, data folders.
import { randomUUID } from 'node:crypto';

import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedTeam } from './testing/seed';

let h: RouterHarness;
beforeAll(async () => {
  h = await startRouterHarness(undefined, { modelUrlPrefixes: ['https://models.example.com/zoo/'] });
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

  it("refuses transfer.fromRunId of another team's run, as if it did not exist, and one that has not succeeded", async () => {
    const a = await seedTeam(h.t.db);
    const b = await seedTeam(h.t.db);
    const runOfB = await (await h.bearer(b.apiKey)).runs.create({ teamSlug: b.teamSlug, config: MLP });
    const runOfA = await (await h.bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: MLP });
    await h.t.db.run.update({ where: { id: runOfB.id }, data: { status: 'succeeded' } });
    const api = await h.bearer(a.apiKey);
    const transfer = (fromRunId: string) => ({ architecture: 'transfer' as const, epochs: 1, transfer: { fromRunId } });
    const foreign = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer(runOfB.id) }));
    const missing = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer(randomUUID()) }));
    const notAnId = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer('pretrain-mnist') }));
    for (const e of [foreign, missing, notAnId]) expect(e?.code).toBe('NOT_FOUND');
    expect(foreign?.message.replace(runOfB.id, 'X')).toBe(`transfer.fromRunId: run X not found`);
    // A run of this team that is still queued (or failed) has no model to build on.
    const unfinished = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer(runOfA.id) }));
    expect(unfinished?.code).toBe('PRECONDITION_FAILED');
    expect(unfinished?.message).toBe(`transfer.fromRunId: run ${runOfA.id} is queued; only a succeeded run can be built on`);
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(1);
    await h.t.db.run.update({ where: { id: runOfA.id }, data: { status: 'succeeded' } });
    const ok = await api.runs.create({ teamSlug: a.teamSlug, config: transfer(runOfA.id) });
    expect(ok.architecture).toBe('transfer');
  });

  it('takes transfer.modelUrl only under a prefix the operator allows: no local hosts, files or look-alike hosts', async () => {
    const a = await seedTeam(h.t.db);
    const api = await h.bearer(a.apiKey);
    const transfer = (modelUrl: string) => ({ architecture: 'transfer' as const, epochs: 1, transfer: { modelUrl } });
    for (const url of [
      'http://127.0.0.1:4000/healthz',
      'file:///etc/passwd',
      '/etc/passwd',
      'https://models.example.com/other/model.json',
      'https://models.example.com/zoo/../secret/model.json',
      'https://models.example.com/zoo/%2e%2e/secret/model.json',
      'https://models.example.com.evil.test/zoo/model.json',
      'https://user@models.example.com/zoo/model.json',
      'http://models.example.com/zoo/model.json',
      'https://models.example.com:8443/zoo/model.json',
    ]) {
      const e = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer(url) }));
      expect(e?.code, url).toBe('BAD_REQUEST');
      expect(e?.message, url).toMatch(/^transfer\.modelUrl: not under a URL prefix the operator allows \(one of: https:\/\/models\.example\.com\/zoo\/\)/);
    }
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(0);
    const ok = await api.runs.create({ teamSlug: a.teamSlug, config: transfer('https://models.example.com/zoo/resnet50/model.json') });
    expect(ok.architecture).toBe('transfer');
  });

  it('takes a known backbone (transfer.backbone) only where it would load from an allowed URL', async () => {
    const a = await seedTeam(h.t.db);
    const api = await h.bearer(a.apiKey);
    const transfer = (source: object) => ({ architecture: 'transfer' as const, epochs: 1, transfer: source });
    const mobilenet = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer({ backbone: 'mobilenet' }) }));
    expect(mobilenet?.code).toBe('BAD_REQUEST');
    expect(mobilenet?.message).toMatch(
      /^transfer\.backbone: mobilenet loads from https:\/\/storage\.googleapis\.com\/tfjs-models\/tfjs\/mobilenet_v1_1\.0_224\/model\.json, which is not under a URL prefix the operator allows/,
    );
    const resnet = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer({ backbone: 'resnet50' }) }));
    expect(resnet?.message).toBe('transfer.backbone: resnet50 has no public TensorFlow.js conversion; give transfer.modelUrl where yours is');
    const elsewhere = await errorOf(api.runs.create({ teamSlug: a.teamSlug, config: transfer({ backbone: 'resnet50', modelUrl: 'https://evil.test/zoo/model.json' }) }));
    expect(elsewhere?.message).toMatch(/^transfer\.modelUrl: not under a URL prefix the operator allows/);
    expect(await h.t.db.run.count({ where: { project: { teamId: a.teamId } } })).toBe(0);
    const ok = await api.runs.create({ teamSlug: a.teamSlug, config: transfer({ backbone: 'resnet50', modelUrl: 'https://models.example.com/zoo/resnet50/model.json' }) });
    expect(ok.architecture).toBe('transfer');
  });

  it('refuses every transfer.modelUrl when the operator allows none (the default)', async () => {
    const strict = await startRouterHarness();
    try {
      const a = await seedTeam(strict.t.db);
      const e = await errorOf(
        (await strict.bearer(a.apiKey)).runs.create({ teamSlug: a.teamSlug, config: { architecture: 'transfer', epochs: 1, transfer: { modelUrl: 'https://models.example.com/zoo/m.json' } } }),
      );
      expect(e?.message).toMatch(/none are allowed on this server/);
    } finally {
      await strict.close();
    }
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
