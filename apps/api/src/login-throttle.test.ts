// Login throttling over real HTTP, counted in the API's Redis: per account and per client IP.
import { randomUUID } from 'node:crypto';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createTestDatabase } from '@hyperzoo/db/testing';
import type { TestDatabase } from '@hyperzoo/db/testing';

import { ZApiEnv } from './env';
import { startApiServer } from './server';
import type { ApiServer } from './server';

let t: TestDatabase;
let api: ApiServer;

beforeAll(async () => {
  t = await createTestDatabase();
  const env = ZApiEnv.parse({
    DATABASE_URL: t.url,
    REDIS_URL: process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    API_PORT: '0',
    HZ_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}-`,
    HZ_MAX_BATCH_SIZE: '30',
    HZ_LOGIN_MAX_PER_ACCOUNT: '10',
    HZ_LOGIN_MAX_PER_IP: '45',
  });
  api = await startApiServer(env, pino({ level: 'silent' }));
});
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

/** Logins in one batched POST; the tRPC error code of each (or OK). */
async function logins(attempts: { email: string; password: string }[]): Promise<string[]> {
  const paths = attempts.map(() => 'auth.login').join(',');
  const body = Object.fromEntries(attempts.map((a, i) => [String(i), { json: a }]));
  const res = await fetch(`${api.url}/trpc/${paths}?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answers = (await res.json()) as { error?: { json: { data: { code: string } } } }[];
  return answers.map((a) => a.error?.json.data.code ?? 'OK');
}
const count = (codes: string[], code: string) => codes.filter((c) => c === code).length;

describe('login throttling', () => {
  it('30 wrong passwords in one batched request count as 30; then the right one is refused', async () => {
    const a = await seedTeam(t.db);
    const codes = await logins(Array.from({ length: 30 }, (_, i) => ({ email: a.email, password: `wrong-${i}` })));
    expect(count(codes, 'UNAUTHORIZED')).toBe(10);
    expect(count(codes, 'TOO_MANY_REQUESTS')).toBe(20);
    const res = await fetch(`${api.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: a.email.toUpperCase(), password: a.password } }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toMatch(/too many login attempts; try again in \d+ s/);
  });

  it('the right password clears the account count; guesses across accounts hit the per-IP limit', async () => {
    const b = await seedTeam(t.db);
    expect(await logins([{ email: b.email, password: 'wrong' }, { email: b.email, password: 'wrong' }])).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED']);
    expect(await logins([{ email: b.email, password: b.password }])).toEqual(['OK']);
    // 31 + 3 attempts so far from this IP; 11 more guesses at other accounts reach 45.
    const spread = await logins(Array.from({ length: 11 }, () => ({ email: `${randomUUID()}@example.test`, password: 'guess' })));
    expect(spread).toEqual(Array.from({ length: 11 }, () => 'UNAUTHORIZED'));
    expect(await logins([{ email: b.email, password: b.password }])).toEqual(['TOO_MANY_REQUESTS']);
  });
});
