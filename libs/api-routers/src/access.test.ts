// Every procedure sits behind an access check chosen by design; walked from the router, so a
// new procedure is covered (or the test fails) without anyone listing it here.
import { randomUUID } from 'node:crypto';

import type { AnyProcedure } from '@trpc/server';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appRouter } from './root';
import { createApiKey } from './services/auth';
import { startRouterHarness } from './testing/harness';
import type { RouterHarness } from './testing/harness';
import { seedMember, seedTeam } from './testing/seed';
import type { TMeta } from './trpc';

const PUBLIC_BY_DESIGN = ['auth.login', 'auth.logout', 'auth.policy', 'auth.signUp'];
/** Not about one team's data: the caller's own account, teams and invitations. */
const PROTECTED_BY_DESIGN = ['auth.me', 'invitations.accept', 'teams.create', 'teams.list'];
/** Mutations a viewer may make because they change only the caller's own membership. */
const SELF_SERVICE = ['members.leave'];
/** A viewer manages their own API keys (read-only ones); identity.test.ts checks whose keys and which scopes. */
const OWN_KEYS = ['keys.create', 'keys.list', 'keys.revoke'];

/** Every procedure of a router record (nested routers flattened), with its dotted path. */
function walk(record: object, prefix = ''): { path: string; type: string; meta: TMeta | undefined }[] {
  return Object.entries(record).flatMap(([key, node]: [string, unknown]) => {
    const path = `${prefix}${key}`;
    if (typeof node === 'function' && '_def' in node) {
      const def = (node as AnyProcedure)._def;
      return [{ path, type: def.type, meta: def.meta as TMeta | undefined }];
    }
    return walk(node as object, `${path}.`);
  });
}
const procedures = walk(appRouter._def.record);
const pathsWith = (access: TMeta['access']) => procedures.filter((p) => p.meta?.access === access).map((p) => p.path).sort();
const SCOPED_ACCESS: readonly TMeta['access'][] = ['team', 'run', 'sweep'];
const scoped = procedures.filter((p) => p.meta && SCOPED_ACCESS.includes(p.meta.access));
const workerProcedures = procedures.filter((p) => p.meta?.access === 'worker');

type TCaller = Awaited<ReturnType<RouterHarness['bearer']>>;
/** Calls a procedure by its dotted path, with any input; resolves to the error if it throws. */
async function call(caller: TCaller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (i: unknown) => Promise<unknown>;
  return fn(input).catch((e: unknown) => e);
}
const codeOf = (result: unknown) => (result instanceof TRPCError ? result.code : 'OK');

let h: RouterHarness;
let a: Awaited<ReturnType<typeof seedTeam>>;
let b: Awaited<ReturnType<typeof seedTeam>>;
let runOfA: string;
let sweepOfA: string;
/** Callers by who they are. */
const as: Record<'anonymous' | 'ownerOfB' | 'memberOfB' | 'viewerOfA' | 'readKeyOfA' | 'userKeyOfA' | 'ownerOfA' | 'workerOfA' | 'workerOfB', TCaller> =
  {} as never;

beforeAll(async () => {
  h = await startRouterHarness();
  a = await seedTeam(h.t.db);
  b = await seedTeam(h.t.db);
  const readKey = await createApiKey(h.t.db, { teamId: a.teamId, userId: a.userId, name: 'read-only', scopes: ['runs:read'] });
  as.anonymous = (await h.callerFor({})).caller;
  as.ownerOfB = await h.bearer(b.apiKey);
  as.memberOfB = (await h.callerFor({ cookie: (await seedMember(h.t.db, b.teamId, 'member')).cookie })).caller;
  as.viewerOfA = (await h.callerFor({ cookie: (await seedMember(h.t.db, a.teamId, 'viewer')).cookie })).caller;
  as.readKeyOfA = await h.bearer(readKey.key);
  as.userKeyOfA = await h.bearer(a.apiKey);
  as.ownerOfA = (await h.callerFor({ cookie: (await seedMember(h.t.db, a.teamId, 'owner')).cookie })).caller;
  as.workerOfA = await h.bearer(a.workerToken);
  as.workerOfB = await h.bearer(b.workerToken);
  runOfA = (await as.userKeyOfA.runs.create({ teamSlug: a.teamSlug, config: { architecture: 'mlp', epochs: 1 } })).id;
  const spec = { name: 'access', architectures: ['mlp'], method: 'grid', metric: { name: 'val_accuracy' }, parameters: { epochs: { value: 1 } } };
  sweepOfA = (await as.userKeyOfA.sweeps.create({ teamSlug: a.teamSlug, spec })).sweepId;
});
afterAll(async () => {
  await h?.close();
});

describe('the router', () => {
  it('puts every procedure behind an access check chosen by design', () => {
    expect(pathsWith('public')).toEqual(PUBLIC_BY_DESIGN);
    expect(pathsWith('protected')).toEqual(PROTECTED_BY_DESIGN);
    for (const p of procedures) {
      expect(['public', 'protected', 'worker', ...SCOPED_ACCESS], p.path).toContain(p.meta?.access);
      if (p.meta && SCOPED_ACCESS.includes(p.meta.access)) {
        expect(p.meta.minRole, p.path).toBeDefined();
        if (p.type === 'mutation' && !SELF_SERVICE.includes(p.path) && !OWN_KEYS.includes(p.path)) expect(p.meta.minRole, `${p.path} changes data`).not.toBe('viewer');
      }
    }
    expect(scoped.length).toBeGreaterThanOrEqual(5);
    expect(workerProcedures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(procedures.filter((p) => p.meta?.access !== 'public').map((p) => p.path))('%s needs a caller (UNAUTHORIZED)', async (path) => {
    expect(codeOf(await call(as.anonymous, path, {}))).toBe('UNAUTHORIZED');
  });
});

describe.each(scoped)('$path', ({ path, type, meta }) => {
  const ofA = () => (meta?.access === 'team' ? { teamSlug: a.teamSlug } : meta?.access === 'sweep' ? { sweepId: sweepOfA } : { runId: runOfA });
  const missing = () => (meta?.access === 'team' ? { teamSlug: 'no-such-team' } : meta?.access === 'sweep' ? { sweepId: randomUUID() } : { runId: randomUUID() });
  const idOf = (input: object) => Object.values(input)[0] as string;

  it('answers another team NOT_FOUND, word for word as data that does not exist', async () => {
    const absent = missing();
    const notThere = await call(as.ownerOfA, path, absent);
    expect(codeOf(notThere)).toBe('NOT_FOUND');
    for (const caller of [as.ownerOfB, as.memberOfB]) {
      const foreign = await call(caller, path, ofA());
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect((foreign as Error).message.replace(idOf(ofA()), 'X')).toBe((notThere as Error).message.replace(idOf(absent), 'X'));
    }
  });

  it('refuses worker tokens, of this team and of another, the same way (FORBIDDEN)', async () => {
    for (const caller of [as.workerOfA, as.workerOfB]) {
      for (const input of [ofA(), missing()]) {
        const refused = await call(caller, path, input);
        expect(codeOf(refused), path).toBe('FORBIDDEN');
        expect((refused as Error).message).toBe('a worker token may only call the worker procedures');
      }
    }
  });

  if (SELF_SERVICE.includes(path)) {
    it('lets a viewer act on their own membership only', async () => {
      const viewer = (await h.callerFor({ cookie: (await seedMember(h.t.db, a.teamId, 'viewer')).cookie })).caller;
      expect(codeOf(await call(viewer, path, ofA()))).toBe('OK');
      expect(codeOf(await call(viewer, 'teams.get', ofA()))).toBe('NOT_FOUND');
      expect(codeOf(await call(as.viewerOfA, 'teams.get', ofA()))).toBe('OK');
    });
  } else if (OWN_KEYS.includes(path)) {
    it('lets a viewer and a read-only key past the team check (to their own keys only)', async () => {
      for (const caller of [as.viewerOfA, as.readKeyOfA]) expect(codeOf(await call(caller, path, ofA()))).not.toMatch(/FORBIDDEN|NOT_FOUND|UNAUTHORIZED/);
    });
  // A subscription is a read: subscribing to another team's run is refused like reading it.
  } else if (type !== 'mutation' && meta?.minRole === 'viewer') {
    it('lets a viewer and a read-only key read', async () => {
      for (const caller of [as.viewerOfA, as.readKeyOfA]) expect(codeOf(await call(caller, path, ofA()))).not.toMatch(/FORBIDDEN|NOT_FOUND|UNAUTHORIZED/);
    });
  } else {
    // Mutations, and the few reads above a viewer (a team's API keys).
    it('refuses a viewer and a read-only key (FORBIDDEN)', async () => {
      for (const caller of [as.viewerOfA, as.readKeyOfA]) {
        const refused = await call(caller, path, ofA());
        expect(codeOf(refused)).toBe('FORBIDDEN');
        expect((refused as Error).message).toMatch(new RegExp(`needs role ${meta?.minRole}`));
      }
    });
  }
});

describe('worker procedures', () => {
  const epoch = { epoch: 1, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, duration_ms: 5, images_per_sec: 10 };
  const result = { status: 'failed', bestEpoch: null, stoppedEpoch: null, testLoss: null, testAccuracy: null, paramCount: null, backend: null, device: null, error: 'x' };
  /** A valid input per worker procedure; `runId` is team A's run. */
  const INPUTS: Record<string, (runId: string) => object> = {
    'worker.register': () => ({ name: 'w', hostname: 'h', backend: 'cpu', devices: [], resourceClass: 'cpu', capacity: 1, version: 't' }),
    'worker.heartbeat': () => ({ workerId: randomUUID(), currentRuns: [] }),
    'worker.startRun': (runId) => ({ runId, backend: 'cpu', device: 'x' }),
    'worker.reportEpochs': (runId) => ({ runId, attempt: 1, epochs: [epoch] }),
    'worker.finishRun': (runId) => ({ runId, attempt: 1, result }),
    'worker.releaseRun': (runId) => ({ runId, reason: 'test' }),
    'worker.runControl': (runId) => ({ runId }),
  };

  it('has a sample input for each', () => {
    expect(Object.keys(INPUTS).sort()).toEqual(workerProcedures.map((p) => p.path).sort());
  });

  describe.each(workerProcedures.map((p) => p.path))('%s', (path) => {
    it('refuses people: a user key, an owner session (FORBIDDEN)', async () => {
      for (const caller of [as.userKeyOfA, as.ownerOfA]) expect(codeOf(await call(caller, path, INPUTS[path]?.(runOfA)))).toBe('FORBIDDEN');
    });

    if ('runId' in (INPUTS[path]?.(randomUUID()) ?? {})) {
      it('answers another team’s worker token NOT_FOUND on this team’s run', async () => {
        expect(codeOf(await call(as.workerOfB, path, INPUTS[path]?.(runOfA)))).toBe('NOT_FOUND');
      });
    }
  });

  it('another team’s token cannot heartbeat this team’s worker', async () => {
    const { workerId } = await as.workerOfA.worker.register({ name: 'a-1', hostname: 'h', backend: 'cpu', devices: [], resourceClass: 'cpu', capacity: 1, version: 't' });
    const before = await h.t.db.worker.findUniqueOrThrow({ where: { id: workerId } });
    expect(await as.workerOfB.worker.heartbeat({ workerId, currentRuns: [], stopping: true })).toEqual({ known: false });
    expect(await h.t.db.worker.findUniqueOrThrow({ where: { id: workerId } })).toEqual(before);
  });
});
