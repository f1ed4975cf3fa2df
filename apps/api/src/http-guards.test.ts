// The API as a browser-facing attacker or a careless script meets it: real server, real HTTP.
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
let seed: Awaited<ReturnType<typeof seedTeam>>;

beforeAll(async () => {
  t = await createTestDatabase();
  seed = await seedTeam(t.db);
  const env = ZApiEnv.parse({
    DATABASE_URL: t.url,
    REDIS_URL: process.env.HZ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    API_PORT: '0',
    HZ_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}-`,
    HZ_ALLOWED_ORIGINS: 'https://dashboard.example.com',
  });
  api = await startApiServer(env, pino({ level: 'silent' }));
});
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

const logout = (headers: Record<string, string>, body: BodyInit = '{}') => fetch(`${api.url}/trpc/auth.logout`, { method: 'POST', headers, body });

describe('HTTP guards', () => {
  it('refuses a cross-site form post (logout CSRF) and a JSON post from a foreign Origin', async () => {
    const form = new FormData();
    form.set('x', '1');
    const viaForm = await fetch(`${api.url}/trpc/auth.logout`, { method: 'POST', body: form, headers: { origin: 'https://evil.example' } });
    expect(viaForm.status).toBe(415);
    const foreign = await logout({ 'content-type': 'application/json', origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: expect.stringMatching(/cross-site/) });
    // The same call from the site itself, an allowed origin, or a client without an Origin goes through.
    const host = new URL(api.url).host;
    expect((await logout({ 'content-type': 'application/json', origin: `http://${host}` })).status).toBe(200);
    expect((await logout({ 'content-type': 'application/json', origin: 'https://dashboard.example.com' })).status).toBe(200);
    expect((await logout({ 'content-type': 'application/json' })).status).toBe(200);
    // Through the dashboard's proxy: Origin is the dashboard, which it forwards as x-forwarded-host.
    expect((await logout({ 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-forwarded-host': 'localhost:3000' })).status).toBe(200);
  });

  it('refuses a body over the limit before parsing it, and a batch over the limit', async () => {
    const big = `{"0":{"json":{"email":"a@b.c","password":"${'x'.repeat(2_000_000)}"}}}`;
    const res = await fetch(`${api.url}/trpc/auth.login?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    const paths = Array.from({ length: 11 }, () => 'auth.me').join(',');
    const batch = await fetch(`${api.url}/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`, { headers: { authorization: `Bearer ${seed.apiKey}` } });
    expect(batch.status).toBe(400);
    const ok = await fetch(`${api.url}/trpc/auth.me,auth.me?batch=1&input=${encodeURIComponent('{}')}`, { headers: { authorization: `Bearer ${seed.apiKey}` } });
    expect(ok.status).toBe(200);
  });

  it('tags every answer with a request id', async () => {
    const res = await fetch(`${api.url}/healthz`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
