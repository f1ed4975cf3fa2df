import { createLTTB } from 'downsample';

import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import { EPOCH_METRICS, ZRunConfig } from '@hyperzoo/schemas';
import type { TEpochMetricName, TRunConfig } from '@hyperzoo/schemas';

import { DomainError } from '../errors';

interface TPoint {
  epoch: number;
  value: number;
}
const lttb = createLTTB<TPoint>({ x: 'epoch', y: 'value' });

/** Dotted paths of a config's leaves (arrays are leaves: a ResNet depth is one value). */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

/** The config keys whose values differ between the runs, each with its value per run (null where absent). */
function diffConfigs(configs: readonly TRunConfig[]): Record<string, unknown[]> {
  const flat = configs.map((c) => flatten(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  const diff: Record<string, unknown[]> = {};
  for (const key of keys) {
    const values = flat.map((f) => f[key] ?? null);
    if (new Set(values.map((v) => JSON.stringify(v))).size > 1) diff[key] = values;
  }
  return diff;
}

/**
 * Many runs' curves at once: per run and metric, the (epoch, value) points, downsampled with
 * LTTB (which keeps the first and last points and the shape) when longer than `maxPoints`.
 * Another team's run answers NOT_FOUND like a missing one.
 */
export async function compareRuns(db: Db, teamId: string, input: { runIds: string[]; metrics: TEpochMetricName[]; maxPoints: number }) {
  const runIds = [...new Set(input.runIds)];
  const runs = await db.run.findMany({
    where: { id: { in: runIds }, project: { teamId }, deletedAt: null },
    select: { id: true, name: true, status: true, architecture: true, config: true },
  });
  const missing = runIds.find((id) => !runs.some((r) => r.id === id));
  if (missing) throw new DomainError('NOT_FOUND', `run ${missing} not found`);
  // One raw statement (the catalogue's columns only): 5,000 rows through the Prisma client cost half again as much.
  const columns = Prisma.join(input.metrics.map((m) => Prisma.raw(`"${EPOCH_METRICS[m].column}"`)));
  const epochs = await db.$queryRaw<({ runId: string; epoch: number } & Record<string, unknown>)[]>`
    SELECT "runId", "epoch", ${columns} FROM "EpochMetric" WHERE "runId" = ANY(${runIds}::uuid[]) ORDER BY "runId", "epoch"`;
  const byRun = new Map<string, Record<string, unknown>[]>();
  for (const e of epochs) {
    const list = byRun.get(e.runId);
    if (list) list.push(e);
    else byRun.set(e.runId, [e]);
  }

  const ordered = runIds.map((id) => runs.find((r) => r.id === id) as (typeof runs)[number]);
  const configs = ordered.map((r) => ZRunConfig.parse(r.config));
  return {
    runs: ordered.map((r, i) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      architecture: r.architecture,
      config: configs[i] as TRunConfig,
      curves: Object.fromEntries(
        input.metrics.map((m) => {
          const column = EPOCH_METRICS[m].column;
          const points = (byRun.get(r.id) ?? []).flatMap((e) => (typeof e[column] === 'number' ? [{ epoch: e.epoch as number, value: e[column] }] : []));
          return [m, points.length > input.maxPoints ? (lttb(points, input.maxPoints) as TPoint[]) : points];
        }),
      ),
    })),
    configDiff: diffConfigs(configs),
  };
}
