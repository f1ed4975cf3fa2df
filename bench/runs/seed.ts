// npm run bench:runs-seed -- [--runs 10000] [--epochs 100]
// A bench database with --runs runs of team "bench" (plus a tenth as many of another team) and
// --epochs epochs each, written server-side in a few statements (generate_series), then the
// summaries filled by the summary migration's own backfill statement.
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import { createDb } from '@hyperzoo/db';
import { ZRunConfig } from '@hyperzoo/schemas';

import { BENCH_DATABASE_URL, BENCH_TEAM, recreateBenchDatabase } from './bench-db';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, epochs: { type: 'string', default: '100' } } });
const RUNS = Number(values.runs);
const EPOCHS = Number(values.epochs);
const MIGRATIONS = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** 24 valid configs (architecture x optimizer x learning rate); each run takes one, with its own seed. */
const CONFIGS = (['mlp', 'lenet5', 'alexnet', 'resnet'] as const).flatMap((architecture) =>
  (['adam', 'sgd', 'rmsprop'] as const).flatMap((name) =>
    [0.01, 0.001].map((learningRate) => ZRunConfig.parse({ architecture, epochs: EPOCHS, optimizer: { name, learningRate }, data: { dataset: 'fashion-mnist' } })),
  ),
);

function backfillStatement(): string {
  const dir = readdirSync(MIGRATIONS).find((d) => d.endsWith('_run_summary_tags_soft_delete'));
  if (!dir) throw new Error('the run summary migration is missing');
  const sql = readFileSync(path.join(MIGRATIONS, dir, 'migration.sql'), 'utf8');
  const start = sql.indexOf('-- Backfill');
  if (start === -1) throw new Error('no backfill statement in the run summary migration');
  return sql.slice(start);
}

const t0 = performance.now();
await recreateBenchDatabase();
const db = createDb(BENCH_DATABASE_URL);
const seeded: Record<string, number> = {};
for (const [slug, runs] of [
  [BENCH_TEAM, RUNS],
  ['bench-other', Math.ceil(RUNS / 10)],
] as const) {
  const team = await createTeamWithOwner(db, { slug, name: slug, owner: { email: `${slug}@bench.test`, name: slug, password: `pw-${slug}-bench` } });
  const project = await db.project.findUniqueOrThrow({ where: { teamId_slug: { teamId: team.teamId, slug: 'default' } } });
  // 90% succeeded, the rest spread over the other end states and running; a few tags.
  await db.$executeRaw`
    INSERT INTO "Run" ("id", "projectId", "name", "status", "config", "architecture", "dataset", "attempt", "paramCount",
      "testAccuracy", "testLoss", "tags", "createdAt", "startedAt", "finishedAt", "updatedAt")
    SELECT gen_random_uuid(), ${project.id}::uuid, 'bench-' || g, s.status::"RunStatus", c.config || jsonb_build_object('seed', g),
      c.config->>'architecture', 'fashion-mnist', 1, 10000 + (g * 7919) % 900000,
      CASE WHEN s.status = 'succeeded' AND g % 3 > 0 THEN 0.7 + (g % 1000) / 4000.0 END,
      CASE WHEN s.status = 'succeeded' AND g % 3 > 0 THEN 0.2 + (g % 997) / 2000.0 END,
      CASE WHEN g % 50 = 0 THEN ARRAY['baseline'] WHEN g % 7 = 0 THEN ARRAY['sweep-a', 'wide'] ELSE ARRAY[]::text[] END,
      now() - g * interval '1 minute', now() - g * interval '1 minute', CASE WHEN s.status <> 'running' THEN now() END, now()
    FROM generate_series(1, ${runs}::int) g
    CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 > 0 THEN 'succeeded' ELSE (ARRAY['failed', 'cancelled', 'diverged', 'pruned', 'running'])[1 + (g / 10) % 5] END AS status) s
    CROSS JOIN LATERAL (SELECT (${JSON.stringify(CONFIGS)}::jsonb)->(g % ${CONFIGS.length}::int) AS config) c`;
  // Curves: training loss keeps falling; validation loss turns up after a run-specific epoch (overfitting).
  await db.$executeRaw`
    INSERT INTO "EpochMetric" ("runId", "epoch", "phase", "loss", "accuracy", "valLoss", "valAccuracy", "lr", "durationMs", "imagesPerSec", "attempt")
    SELECT r."id", e, 'train', l.loss, 1 - l.loss / 2.5, l.loss + 0.02 * greatest(0, e - l.turn), least(1, 1 - l.loss / 2.5 - 0.004 * greatest(0, e - l.turn)),
      0.001, 900 + (e % 13) * 10, 2000, 1
    FROM "Run" r
    CROSS JOIN generate_series(1, ${EPOCHS}::int) e
    CROSS JOIN LATERAL (SELECT 2.3 * exp(-e / (5.0 + abs(hashtext(r."id"::text)) % 20)) + 0.05 AS loss, 10 + abs(hashtext(r."id"::text)) % 60 AS turn) l
    WHERE r."projectId" = ${project.id}::uuid`;
  seeded[slug] = runs;
}
await db.$executeRawUnsafe(backfillStatement());
await db.$executeRawUnsafe('VACUUM ANALYZE "Run"');
await db.$executeRawUnsafe('VACUUM ANALYZE "EpochMetric"');
const [counts] = await db.$queryRaw<{ runs: bigint; epochs: bigint }[]>`SELECT (SELECT count(*) FROM "Run") AS runs, (SELECT count(*) FROM "EpochMetric") AS epochs`;
console.log(
  JSON.stringify({ bench: 'runs-seed', database: BENCH_DATABASE_URL, teams: seeded, runs: Number(counts?.runs), epochRows: Number(counts?.epochs), seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) }),
);
await db.$disconnect();
