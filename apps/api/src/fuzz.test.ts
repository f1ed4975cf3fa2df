// A generated walk over every procedure of the router, through the real HTTP server: malformed
// input of every kind (wrong types, numbers >= 2^31, NUL bytes, lone surrogates, deep nesting,
// long strings, superjson's NaN/BigInt/Date/Map) from a member, an admin key and a worker token.
// No answer may be a 5xx or show internals (paths, Prisma/Postgres text, stack frames).
import { randomUUID } from 'node:crypto';

import type { AnyProcedure } from '@trpc/server';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appRouter, auth } from '@hyperzoo/api-routers';
import { seedMember, seedTeam } from '@hyperzoo/api-routers/testing';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';

import { ZApiEnv } from './env';
import { startApiServer } from './server';
import type { ApiServer } from './server';

/** Would end the caller's own session or membership and starve the rest of the walk. */
const SKIPPED = ['auth.logout', 'members.leave'];
const RUNS_PER_PROCEDURE = Number(process.env.HZ_FUZZ_RUNS ?? 30);
const LEAKS = /\/work\/|\/home\/|\/tmp\/|node_modules|\.ts:\d|prisma|postgres|invalid byte sequence|unsupported unicode|\n\s+at |at async|PrismaClient/i;

interface TZodDef {
  type: string;
  shape?: Record<string, TSchema>;
  innerType?: TSchema;
  in?: TSchema;
  options?: TSchema[];
  element?: TSchema;
  entries?: Record<string, string>;
  values?: unknown[];
}
interface TSchema {
  _zod: { def: TZodDef };
  safeParse(v: unknown): { success: boolean };
}

function unwrap(schema: TSchema): TSchema {
  const def = schema._zod.def;
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}

const deep = (n: number, leaf: unknown, wrap: (x: unknown) => unknown) => Array.from({ length: n }).reduce<unknown>((x) => wrap(x), leaf);

/** Values no procedure should take, in every shape the wire allows. */
const nasty = (longString: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(2 ** 31, 2 ** 31 + 7, 2 ** 53, -(2 ** 31) - 1, 1e308, -1, 0, 0.5, -0.0001),
    fc.constantFrom('a\0b', '\0', '\ud800', 'x\udc00y', '', ' ', '../../etc/passwd', 'file:///etc/passwd', 'http://127.0.0.1:1/healthz', '%', '\\'),
    fc.string({ maxLength: 40, unit: 'binary' }),
    fc.constant('x'.repeat(longString)),
    fc.constant(deep(300, 1, (x) => [x])),
    fc.constant(deep(300, {}, (x) => ({ a: x }))),
    fc.anything({ maxDepth: 2, maxKeys: 3 }),
    fc.constantFrom(null, true, false, [], {}),
  );

/** Leaf values that pass many schemas; each leaf draws from those its own schema accepts. */
const LEAF_POOL: unknown[] = [
  'a', 'default', 'ada@example.test', 'a'.repeat(64), 'r/ckpt-1', 'ada', randomUUID(), 'hzi_abc', '2026-01-01', 'val_accuracy', 'loss', 'checkpoint', 'cpu', 'mlp',
  0, 1, 2, 3, 10, 100, 0.5, 0.01, true, false, [], ['a'], ['runs:read'],
];

/** Inputs shaped like the procedure's schema (so they get past the outer layers), with nasty leaves. */
function shaped(schema: TSchema, known: Record<string, fc.Arbitrary<unknown>>, bad: fc.Arbitrary<unknown>, depth = 0): fc.Arbitrary<unknown> {
  const inner = unwrap(schema);
  const d = inner._zod.def;
  let arb: fc.Arbitrary<unknown>;
  if (d.type === 'object' && d.shape && depth < 5) {
    const model = Object.fromEntries(Object.entries(d.shape).map(([k, v]) => [k, known[k] ?? shaped(v, known, bad, depth + 1)]));
    arb = fc.oneof({ arbitrary: fc.record(model), weight: 4 }, { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 });
  } else if (d.type === 'union' && d.options && depth < 5) {
    arb = fc.oneof(...d.options.map((o) => shaped(o, known, bad, depth + 1)));
  } else if (d.type === 'array' && d.element && depth < 5) {
    arb = fc.array(shaped(d.element, known, bad, depth + 1), { maxLength: 3 });
  } else {
    const valid = [...LEAF_POOL, ...Object.values(d.entries ?? {}), ...(d.values ?? [])].filter((v) => schema.safeParse(v).success);
    if (valid.length === 0) return bad;
    arb = fc.constantFrom(...valid);
  }
  // Mostly well-formed, so one bad leaf at a time reaches the code behind the others.
  return fc.oneof({ arbitrary: arb, weight: 12 }, { arbitrary: bad, weight: 1 });
}

/** superjson's typed values (NaN, BigInt, Date, Map, Set, undefined), put at one key of the input. */
const SUPERJSON_SPECIALS: [unknown, unknown][] = [
  ['NaN', ['number']],
  ['Infinity', ['number']],
  ['99999999999999999999999', ['bigint']],
  ['not a date', ['Date']],
  [[['k', 'v']], ['map']],
  [[1, 2], ['set']],
  [null, ['undefined']],
  ['/a/', ['regexp']],
];

interface TProc {
  path: string;
  type: string;
  access: string;
  inputs: unknown[];
}
function walk(record: object, prefix = ''): TProc[] {
  return Object.entries(record).flatMap(([key, node]: [string, unknown]) => {
    const path = `${prefix}${key}`;
    if (typeof node === 'function' && '_def' in node) {
      const def = (node as AnyProcedure)._def as AnyProcedure['_def'] & { inputs: unknown[]; meta?: { access: string } };
      return [{ path, type: def.type, access: def.meta?.access ?? 'public', inputs: def.inputs }];
    }
    return walk(node as object, `${path}.`);
  });
}
const procedures = walk(appRouter._def.record).filter((p) => !SKIPPED.includes(p.path) && p.type !== 'subscription');

let t: TestDatabase;
let api: ApiServer;
let callers: Record<'member' | 'admin' | 'worker', Record<string, string>>;
let known: Record<string, fc.Arbitrary<unknown>>;
const logged: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  const seed = await seedTeam(t.db);
  const member = await seedMember(t.db, seed.teamId, 'member');
  const adminKey = await auth.createApiKey(t.db, { teamId: seed.teamId, userId: seed.userId, name: 'fuzz', scopes: ['admin'] });
  const env = ZApiEnv.parse({
    DATABASE_URL: t.url,
    REDIS_URL: process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    API_PORT: '0',
    HZ_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}-`,
    // Each generated sign-up or login counts; the walk must reach the procedures, not the limiter.
    HZ_LOGIN_MAX_PER_IP: '100000',
    HZ_MAX_BATCH_SIZE: '10',
  });
  api = await startApiServer(env, pino({ level: 'error' }, { write: (line: string) => void logged.push(line) }));
  callers = {
    member: { cookie: member.cookie },
    admin: { authorization: `Bearer ${adminKey.key}` },
    worker: { authorization: `Bearer ${seed.workerToken}` },
  };
  const run = await fetch(`${api.url}/trpc/runs.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${seed.apiKey}` },
    body: JSON.stringify({ json: { teamSlug: seed.teamSlug, config: { architecture: 'mlp', epochs: 1 } } }),
  });
  const runId = ((await run.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  // Real ids and slugs most of the time, so calls get past the access check into the procedure.
  const sometimes = (value: unknown) => fc.oneof({ arbitrary: fc.constant(value), weight: 8 }, { arbitrary: nasty(3000), weight: 1 });
  known = { teamSlug: sometimes(seed.teamSlug), runId: sometimes(runId), projectSlug: sometimes('default'), userId: sometimes(member.userId) };
}, 60_000);
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

async function send(proc: TProc, who: keyof typeof callers, body: { json: unknown; meta?: unknown }) {
  const headers = { ...callers[who] };
  const res =
    proc.type === 'query'
      ? await fetch(`${api.url}/trpc/${proc.path}?input=${encodeURIComponent(JSON.stringify(body))}`, { headers })
      : await fetch(`${api.url}/trpc/${proc.path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

describe.each(procedures)('$path', (proc) => {
  it('answers malformed input with a 4xx that shows no internals', { timeout: 120_000 }, async () => {
    const longString = proc.type === 'query' ? 3000 : 70_000;
    const bad = nasty(longString);
    const shape = Object.assign({}, ...proc.inputs.map((i) => unwrap(i as TSchema)._zod.def.shape ?? {})) as Record<string, TSchema>;
    const whole = { _zod: { def: { type: 'object', shape } }, safeParse: () => ({ success: false }) } satisfies TSchema;
    const input = proc.inputs.length ? fc.oneof({ arbitrary: shaped(whole, known, bad), weight: 8 }, { arbitrary: bad, weight: 1 }) : bad;
    const who = fc.constantFrom<keyof typeof callers>(...(proc.access === 'worker' ? (['worker'] as const) : (['member', 'admin'] as const)));
    const special = fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...SUPERJSON_SPECIALS)), weight: 1 });
    await fc.assert(
      fc.asyncProperty(input, who, special, async (value, caller, sj) => {
        const body: { json: unknown; meta?: unknown } = { json: value };
        if (sj && value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const keys = Object.keys(value);
          const key = keys[sj[0] % Math.max(keys.length, 1)] ?? 'x';
          body.json = { ...value, [key]: sj[1][0] };
          body.meta = { values: { [key]: sj[1][1] } };
        }
        const answer = await send(proc, caller, body);
        expect(answer.status, `${proc.path} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
        expect(answer.text.slice(0, 100_000), proc.path).not.toMatch(LEAKS);
      }),
      // A failure prints fast-check's seed and path, to replay it.
      { numRuns: RUNS_PER_PROCEDURE },
    );
  });
});

it('walks every procedure but the skipped ones', () => {
  expect(procedures.length).toBeGreaterThanOrEqual(30);
  expect(logged.filter((l) => l.includes('"level":50'))).toEqual([]);
});
