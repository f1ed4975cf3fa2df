// The retry policy against real faults: Postgres unreachable behind a proxy, connections cut
// mid-statement, statements rolled back by Postgres.
import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createDb } from './client';
import type { DbClient } from './client';
import type { RetryPolicy } from './retry';
import { createTestDatabase, startPostgresProxy } from './testing';
import type { TcpProxy, TestDatabase } from './testing';

/** Prisma queries are lazy: this sends one now. */
const send = async <T>(query: PromiseLike<T>): Promise<T> => query;

const FAST: RetryPolicy = { retries: 3, minDelayMs: 10, maxDelayMs: 50, maxTotalMs: 5_000 };

let t: TestDatabase;
let proxy: TcpProxy;
const clients: DbClient[] = [];
const throughProxy = (retry?: RetryPolicy) => {
  const db = createDb(proxy.via(t.url), { poolSize: 3, ...(retry ? { retry } : {}) });
  clients.push(db);
  return db;
};

beforeAll(async () => {
  t = await createTestDatabase();
  proxy = await startPostgresProxy();
});
afterEach(async () => {
  await proxy.start().catch(() => undefined); // a test may leave it stopped
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
});
afterAll(async () => {
  await proxy?.stop();
  await t?.drop();
});

describe('retry policy', () => {
  it('a write and a read issued while Postgres is unreachable succeed once it is back', async () => {
    const db = throughProxy();
    await db.team.count(); // pool warm: the outage also drops its connections
    await proxy.stop();
    await sleep(200); // the pool sees its connections close; a write on one closing under it is not repeated (below)
    const write = send(db.team.create({ data: { slug: 'outage', name: 'outage' } }));
    const read = send(db.team.findMany({ where: { slug: 'outage' } }));
    await sleep(800);
    await proxy.start();
    await expect(write).resolves.toMatchObject({ slug: 'outage' });
    await expect(read).resolves.toBeInstanceOf(Array);
    expect(await t.db.team.count({ where: { slug: 'outage' } })).toBe(1);
  });

  it('gives up after its bound, with the driver error', async () => {
    const db = throughProxy({ retries: 2, minDelayMs: 200, maxDelayMs: 200, maxTotalMs: 5_000 });
    await proxy.stop();
    const t0 = Date.now();
    const err = await db.team.findMany().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'P1001' });
    // Two retries, 200-400 ms apart (jitter): it waited, then stopped.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('repeats a read whose connection dropped mid-statement, never such a write', async () => {
    const db = throughProxy(FAST);
    await t.db.team.create({ data: { slug: 'cut', name: 'before' } });
    await db.team.count();
    // Hold a lock so both statements are in flight when the connections drop.
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "Team" IN ACCESS EXCLUSIVE MODE');
      const read = send(db.team.findMany({ where: { slug: 'cut' } }));
      const write = send(db.team.update({ where: { slug: 'cut' }, data: { name: 'after' } })).catch((e: unknown) => e);
      await sleep(500);
      proxy.cut();
      await sleep(200);
      await locker.query('COMMIT');
      expect(await read).toHaveLength(1);
      // Whether the write committed is unknown to the client, so it fails rather than run twice.
      expect(String(await write)).toMatch(/Connection terminated|ECONNRESET|connection closed/i);
    } finally {
      await locker.end();
    }
  });

  describe('statements Postgres rolled back', () => {
    it.each(['40001', '40P01'])('repeats a write that failed with %s, but not inside a transaction', async (sqlState) => {
      const db = throughProxy(FAST);
      // nextval is not rolled back, so the sequence counts attempts: the first two fail.
      await t.db.$executeRawUnsafe('CREATE SEQUENCE IF NOT EXISTS attempts');
      await t.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_twice() RETURNS trigger AS $$
        BEGIN
          IF nextval('attempts') % 3 <> 0 THEN RAISE EXCEPTION 'simulated' USING ERRCODE = '${sqlState}'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`);
      await t.db.$executeRawUnsafe(`CREATE OR REPLACE TRIGGER fail_twice BEFORE UPDATE ON "Team" FOR EACH ROW WHEN (NEW.name = 'conflict') EXECUTE FUNCTION fail_twice()`);
      await t.db.$executeRawUnsafe(`SELECT setval('attempts', 3)`);
      const slug = `rolled-back-${sqlState}`;
      await t.db.team.create({ data: { slug, name: 'x' } });
      const attempts = async () => Number((await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT last_value - 3 AS n FROM attempts`))[0]?.n);

      await expect(db.team.update({ where: { slug }, data: { name: 'conflict' } })).resolves.toMatchObject({ name: 'conflict' });
      expect(await attempts()).toBe(3);

      await t.db.$executeRawUnsafe(`SELECT setval('attempts', 3)`);
      await t.db.team.update({ where: { slug }, data: { name: 'x' } });
      const inTx = db.$transaction(async (tx) => tx.team.update({ where: { slug }, data: { name: 'conflict' } }));
      await expect(inTx).rejects.toThrow(/simulated|write conflict|deadlock/i);
      expect(await attempts()).toBe(1);
    });
  });
});
