import { type Command, InvalidArgumentError } from 'commander';

import { parseConfigValue, RUN_SORT_KEYS, RUN_STATUSES } from '@hyperzoo/schemas';
import type { TDatasetName, TRunFilters, TRunSortKey, TRunStatus } from '@hyperzoo/schemas';

export interface TFilterFlags {
  project?: string;
  status?: TRunStatus[];
  arch?: string[];
  dataset?: string;
  sweep?: string;
  tag?: string;
  where: [string, string | number | boolean][];
  min: [string, number][];
  max: [string, number][];
  deleted?: boolean;
}

const commaList = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

function parseStatuses(value: string): TRunStatus[] {
  return commaList(value).map((s) => {
    if (!(RUN_STATUSES as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown status "${s}" (one of ${RUN_STATUSES.join(', ')})`);
    return s as TRunStatus;
  });
}

/** `key=value`, collected over repeated flags. */
function pair<T>(convert: (v: string) => T) {
  return (value: string, previous: [string, T][]): [string, T][] => {
    const eq = value.indexOf('=');
    if (eq < 1) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
    return [...previous, [value.slice(0, eq), convert(value.slice(eq + 1))]];
  };
}
const toNumber = (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${v}"`);
  return n;
};

/** The filter flags `hz runs ls` and `hz runs export` share; the API validates the values. */
export function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--project <slug>', 'only this project')
    .option('--status <list>', `comma-separated: ${RUN_STATUSES.join(', ')}`, parseStatuses)
    .option('--arch <list>', 'comma-separated architectures', commaList)
    .option('--dataset <name>', 'only this data set')
    .option('--sweep <id>', 'only this sweep’s runs')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--where <key=value>', 'config key equals value, e.g. optimizer.name=adam (repeatable)', pair(parseConfigValue), [])
    .option('--min <metric=value>', 'summary metric at least value, e.g. val_accuracy=0.9 (repeatable)', pair(toNumber), [])
    .option('--max <metric=value>', 'summary metric at most value, e.g. gap_loss=0.1 (repeatable)', pair(toNumber), [])
    .option('--deleted', 'include deleted runs');
}

export function filtersFromFlags(f: TFilterFlags): Partial<TRunFilters> {
  const metrics: Record<string, { gte?: number; lte?: number }> = {};
  for (const [k, v] of f.min) metrics[k] = { ...metrics[k], gte: v };
  for (const [k, v] of f.max) metrics[k] = { ...metrics[k], lte: v };
  return {
    projectSlug: f.project,
    status: f.status,
    architecture: f.arch,
    dataset: f.dataset as TDatasetName | undefined,
    sweepId: f.sweep,
    tag: f.tag,
    config: f.where.length ? Object.fromEntries(f.where) : undefined,
    metrics: Object.keys(metrics).length ? (metrics as TRunFilters['metrics']) : undefined,
    includeDeleted: f.deleted ?? false,
  };
}

/** `-val_accuracy` (descending) or `params` (ascending). */
export function parseSort(value: string): { sort: TRunSortKey; order: 'asc' | 'desc' } {
  const desc = value.startsWith('-');
  const key = desc ? value.slice(1) : value.replace(/^\+/, '');
  if (!(key in RUN_SORT_KEYS)) throw new InvalidArgumentError(`unknown sort key "${key}" (one of ${Object.keys(RUN_SORT_KEYS).join(', ')})`);
  return { sort: key as TRunSortKey, order: desc ? 'desc' : 'asc' };
}
