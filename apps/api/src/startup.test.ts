// Bad config stops start-up with one clear line naming the variable, not a stack trace.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { createTestDatabase } from '@hyperzoo/db/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function startApi(env: Record<string, string>) {
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, API_PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, lines: r.stderr.trim().split('\n').filter(Boolean) };
}

describe('api start-up', () => {
  it('rejects a malformed REDIS_URL in one line', () => {
    const r = startApi({ REDIS_URL: 'localhost:6379' });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['hyperzoo api: invalid environment: REDIS_URL="localhost:6379": must be a URL starting with redis:// or rediss://']);
  });

  it('rejects an unreachable DATABASE_URL in one line', () => {
    const r = startApi({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^hyperzoo api: cannot reach Postgres at postgresql:\/\/postgres@127\.0\.0\.1:1\/nowhere \(DATABASE_URL\): .*127\.0\.0\.1:1/);
  });

  it('rejects a port that is not a number', () => {
    const r = startApi({ API_PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.lines[0]).toMatch(/^hyperzoo api: invalid environment: API_PORT="eighty": /);
  });

  it('rejects an HZ_PLATFORM_POOL_TEAM that names no team in one line', async () => {
    const db = await createTestDatabase();
    try {
      const r = startApi({ DATABASE_URL: db.url, HZ_PLATFORM_POOL_TEAM: 'no-such-team' });
      expect(r.code).toBe(1);
      expect(r.lines).toEqual(['hyperzoo api: HZ_PLATFORM_POOL_TEAM="no-such-team" is not a team; create it first (or leave the variable empty)']);
    } finally {
      await db.drop();
    }
  });
});
