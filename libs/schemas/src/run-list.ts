import { z } from 'zod';

import { ZDatasetName } from './run-config';
import { ZRunStatus } from './status';
import { zText } from './text';

/**
 * The columns runs.list sorts and filters on: a run's summary, stored when it ends. Keras names
 * on the wire (`val_accuracy` is its value at the best epoch), Run fields in the database.
 */
export const RUN_SORT_KEYS = {
  created_at: 'createdAt',
  val_accuracy: 'bestValAccuracy',
  val_loss: 'bestValLoss',
  accuracy: 'bestAccuracy',
  loss: 'bestLoss',
  gap_loss: 'gapLoss',
  gap_accuracy: 'gapAccuracy',
  test_accuracy: 'testAccuracy',
  test_loss: 'testLoss',
  params: 'paramCount',
  duration_ms: 'durationMs',
  epochs: 'epochsDone',
  best_epoch: 'bestEpoch',
} as const;
export type TRunSortKey = keyof typeof RUN_SORT_KEYS;
const SORT_KEYS = Object.keys(RUN_SORT_KEYS) as [TRunSortKey, ...TRunSortKey[]];
export const ZRunSortKey = z.enum(SORT_KEYS);
/** The summary metrics a threshold may name (all sort keys but the creation time). */
const ZRunMetricKey = ZRunSortKey.exclude(['created_at']);
export type TRunMetricKey = z.infer<typeof ZRunMetricKey>;

/** A config key as a dotted path of identifiers, e.g. `optimizer.name`. */
export const ZConfigKey = z
  .string()
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,7}$/, 'a dotted path of identifiers, e.g. optimizer.name');

const ZThreshold = z.object({ gte: z.number().optional(), lte: z.number().optional() }).refine((t) => t.gte !== undefined || t.lte !== undefined, 'give gte, lte or both');

export const TAG_MAX = 20;
export const ZTag = zText(40).regex(/^[\w.:/+-]+$/, 'letters, digits and _ . : / + -');

/** The filters runs.list and the export share. */
export const ZRunFilters = z.object({
  projectSlug: z.string().min(1).max(64).optional(),
  status: z.array(ZRunStatus).min(1).max(7).optional(),
  architecture: z.array(zText(64).min(1)).min(1).max(20).optional(),
  dataset: ZDatasetName.optional(),
  sweepId: z.uuid().optional(),
  tag: ZTag.optional(),
  /** Config key equality, e.g. { 'optimizer.name': 'adam', 'batchSize': 32 }. */
  config: z.record(ZConfigKey, z.union([zText(200), z.number(), z.boolean()])).refine((c) => Object.keys(c).length <= 10, 'at most 10 config keys').optional(),
  /** Thresholds on summary metrics, e.g. { val_accuracy: { gte: 0.9 } }. */
  metrics: z.partialRecord(ZRunMetricKey, ZThreshold).optional(),
  includeDeleted: z.boolean().default(false),
});
export type TRunFilters = z.infer<typeof ZRunFilters>;

export const ZListRunsInput = ZRunFilters.extend({
  sort: ZRunSortKey.default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(500).default(100),
  /** nextCursor of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type TListRunsInput = z.infer<typeof ZListRunsInput>;

export const ZUpdateRunInput = z
  .object({
    name: zText(200).min(1).optional(),
    tags: z.array(ZTag).max(TAG_MAX).optional(),
    notes: zText(10_000).nullable().optional(),
  })
  .refine((u) => u.name !== undefined || u.tags !== undefined || u.notes !== undefined, 'give name, tags or notes');
export type TUpdateRunInput = z.infer<typeof ZUpdateRunInput>;

/** A `key=value` config filter from a command line or a URL: numbers and true/false are typed, the rest is text. */
export function parseConfigValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : text;
}

/**
 * Run filters as URL parameters (the export route, `hz runs export`): project, status and arch
 * (comma lists), dataset, sweep, tag, where=key=value (repeatable), min.<metric> and max.<metric>,
 * deleted=true. Gives the input of ZRunFilters, which validates it.
 */
export function runFiltersFromParams(params: URLSearchParams): Record<string, unknown> {
  const list = (name: string) => params.get(name)?.split(',').filter(Boolean);
  const config: Record<string, unknown> = {};
  for (const w of params.getAll('where')) {
    const eq = w.indexOf('=');
    config[eq === -1 ? w : w.slice(0, eq)] = eq === -1 ? '' : parseConfigValue(w.slice(eq + 1));
  }
  const metrics: Record<string, { gte?: number; lte?: number }> = {};
  for (const [key, value] of params) {
    const m = /^(min|max)\.(.+)$/.exec(key);
    if (!m?.[1] || !m[2]) continue;
    metrics[m[2]] = { ...metrics[m[2]], [m[1] === 'min' ? 'gte' : 'lte']: Number(value) };
  }
  return {
    projectSlug: params.get('project') ?? undefined,
    status: list('status'),
    architecture: list('arch'),
    dataset: params.get('dataset') ?? undefined,
    sweepId: params.get('sweep') ?? undefined,
    tag: params.get('tag') ?? undefined,
    config: Object.keys(config).length ? config : undefined,
    metrics: Object.keys(metrics).length ? metrics : undefined,
    includeDeleted: params.get('deleted') === 'true',
  };
}

/** The inverse of runFiltersFromParams, for clients. */
export function runFiltersToParams(f: Partial<TRunFilters>): URLSearchParams {
  const p = new URLSearchParams();
  if (f.projectSlug) p.set('project', f.projectSlug);
  if (f.status) p.set('status', f.status.join(','));
  if (f.architecture) p.set('arch', f.architecture.join(','));
  if (f.dataset) p.set('dataset', f.dataset);
  if (f.sweepId) p.set('sweep', f.sweepId);
  if (f.tag) p.set('tag', f.tag);
  for (const [k, v] of Object.entries(f.config ?? {})) p.append('where', `${k}=${String(v)}`);
  for (const [k, t] of Object.entries(f.metrics ?? {})) {
    if (t?.gte !== undefined) p.set(`min.${k}`, String(t.gte));
    if (t?.lte !== undefined) p.set(`max.${k}`, String(t.lte));
  }
  if (f.includeDeleted) p.set('deleted', 'true');
  return p;
}
