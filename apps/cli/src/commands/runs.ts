import { writeFileSync } from 'node:fs';

import { type Command, InvalidArgumentError, Option } from 'commander';

import { EPOCH_METRIC_NAMES } from '@hyperzoo/schemas';
import type { TEpochMetric, TEpochMetricName, TRunSummary } from '@hyperzoo/schemas';

import { createApiClient, resolveTeam, streamExport } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';
import { filtersFromFlags, parseSort, withFilterOptions } from './run-filters';
import type { TFilterFlags } from './run-filters';

type TFlags = TApiFlags & { json?: boolean };

const parseLimit = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError(`expected 1 to 500, got "${value}"`);
  return n;
};

const parseMetrics = (value: string): TEpochMetricName[] =>
  value.split(',').map((m) => {
    const name = m.trim() as TEpochMetricName;
    if (!EPOCH_METRIC_NAMES.includes(name)) throw new InvalidArgumentError(`unknown metric "${m}" (one of ${EPOCH_METRIC_NAMES.join(', ')})`);
    return name;
  });

const fmt = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '-' : Number(v.toFixed(digits)).toString());

function formatRunLine(r: TRunSummary): string {
  return [
    r.id,
    r.status.padEnd(9),
    r.projectSlug,
    r.name,
    `best ${r.bestEpoch ?? '-'}`,
    `val acc ${fmt(r.bestValAccuracy)}`,
    `gap ${fmt(r.gapLoss)}`,
    `test acc ${fmt(r.testAccuracy)}`,
    ...(r.tags.length ? [`[${r.tags.join(', ')}]`] : []),
    ...(r.deletedAt ? ['(deleted)'] : []),
  ].join('  ');
}

/** CSV of epochs: one row each, the catalogue's Keras names as columns, empty for null. */
function epochsToCsv(epochs: readonly TEpochMetric[]): string {
  const header = ['epoch', 'phase', ...EPOCH_METRIC_NAMES];
  const rows = epochs.map((e) => [e.epoch, e.phase, ...EPOCH_METRIC_NAMES.map((n) => e[n] ?? '')].join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('runs on the platform');

  withFilterOptions(withApiOptions(runs.command('ls').description('list runs: filtered, sorted by a summary metric, a page at a time')))
    .option('--team <slug>', 'team (default: the API key’s team)')
    .option('--sort <key>', 'summary metric or created_at; a leading - sorts descending, e.g. -val_accuracy', parseSort, parseSort('-created_at'))
    .option('--limit <n>', 'at most this many', parseLimit, 50)
    .option('--cursor <cursor>', 'the next page (nextCursor of --json)')
    .action(async (opts: TFlags & TFilterFlags & { team?: string; sort: ReturnType<typeof parseSort>; limit: number; cursor?: string }) => {
      const api = createApiClient(opts);
      const teamSlug = await resolveTeam(api, opts.team);
      const page = await api.runs.list.query({ teamSlug, ...filtersFromFlags(opts), ...opts.sort, limit: opts.limit, cursor: opts.cursor });
      print(opts.json, page, () =>
        page.runs.length ? [...page.runs.map(formatRunLine), ...(page.nextCursor ? [`more: --cursor ${page.nextCursor}`] : [])].join('\n') : 'no runs',
      );
    });

  withApiOptions(runs.command('show').description('one run: summary, config and epochs'))
    .argument('<runId>')
    .action(async (runId: string, opts: TFlags) => {
      const run = await createApiClient(opts).runs.get.query({ runId });
      print(opts.json, run, () =>
        [
          formatRunLine(run),
          `architecture ${run.architecture}, dataset ${run.dataset}, attempt ${run.attempt}${run.error ? `, error: ${run.error}` : ''}`,
          `config ${JSON.stringify(run.config)}`,
          ...run.epochs.map((e) => `epoch ${e.epoch}: loss ${fmt(e.loss)} acc ${fmt(e.accuracy)} val_loss ${fmt(e.val_loss)} val_acc ${fmt(e.val_accuracy)}`),
        ].join('\n'),
      );
    });

  withApiOptions(runs.command('compare').description('several runs side by side: the last value of each metric, and the config keys that differ'))
    .argument('<runIds...>')
    .option('--metrics <list>', 'comma-separated Keras names', parseMetrics, ['loss', 'val_loss', 'val_accuracy'] as TEpochMetricName[])
    .option('--max-points <n>', 'points per curve in --json (LTTB past it)', parseLimit, 200)
    .option('--team <slug>', 'team (default: the API key’s team)')
    .action(async (runIds: string[], opts: TFlags & { metrics: TEpochMetricName[]; maxPoints: number; team?: string }) => {
      const api = createApiClient(opts);
      const out = await api.runs.compare.query({ teamSlug: await resolveTeam(api, opts.team), runIds, metrics: opts.metrics, maxPoints: opts.maxPoints });
      print(opts.json, out, () =>
        [
          ...out.runs.map((r) => `${r.id}  ${r.name}  ${r.status}  ${opts.metrics.map((m) => `${m} ${fmt(r.curves[m]?.values.at(-1))}`).join('  ')}`),
          ...Object.entries(out.configDiff).map(([key, values]) => `${key}: ${values.map((v) => JSON.stringify(v)).join(' | ')}`),
        ].join('\n'),
      );
    });

  withApiOptions(runs.command('cancel').description('cancel a queued or running run'))
    .argument('<runId>')
    .action(async (runId: string, opts: TFlags) => {
      const run = await createApiClient(opts).runs.cancel.mutate({ runId });
      print(opts.json, run, () => `${run.id}: ${run.status}${run.status === 'running' ? ' (stops at the next batch)' : ''}`);
    });

  withApiOptions(runs.command('tag').description('add tags to a run (or remove them)'))
    .argument('<runId>')
    .argument('<tags...>')
    .option('--remove', 'remove these tags instead')
    .action(async (runId: string, tags: string[], opts: TFlags & { remove?: boolean }) => {
      const api = createApiClient(opts);
      const { tags: current } = await api.runs.get.query({ runId });
      const next = opts.remove ? current.filter((t) => !tags.includes(t)) : [...current, ...tags];
      const run = await api.runs.update.mutate({ runId, tags: next });
      print(opts.json, run, () => `${run.id}: ${run.tags.length ? run.tags.join(', ') : 'no tags'}`);
    });

  withApiOptions(runs.command('note').description('set a run’s notes (--clear removes them)'))
    .argument('<runId>')
    .argument('[text]')
    .option('--clear', 'remove the notes')
    .action(async (runId: string, text: string | undefined, opts: TFlags & { clear?: boolean }) => {
      if (text === undefined && !opts.clear) throw new InvalidArgumentError('give the text, or --clear');
      const run = await createApiClient(opts).runs.update.mutate({ runId, notes: opts.clear ? null : text });
      print(opts.json, run, () => `${run.id}: ${run.notes ?? 'no notes'}`);
    });

  withApiOptions(runs.command('rm').description('delete runs (kept in the database; --restore brings them back)'))
    .argument('<runIds...>')
    .option('--restore', 'restore deleted runs')
    .action(async (runIds: string[], opts: TFlags & { restore?: boolean }) => {
      const api = createApiClient(opts);
      const done: TRunSummary[] = [];
      for (const runId of runIds) done.push(await (opts.restore ? api.runs.restore : api.runs.delete).mutate({ runId }));
      print(opts.json, done, () => done.map((r) => `${r.id}: ${r.deletedAt ? 'deleted' : 'restored'}`).join('\n'));
    });

  withFilterOptions(withApiOptions(runs.command('export').description('one run’s epochs; or, without a run id, the filtered runs (or --epochs) streamed from the API')))
    .argument('[runId]')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .option('--epochs', 'without a run id: the epochs of the filtered runs instead of one row per run')
    .option('--team <slug>', 'team (default: the API key’s team)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (runId: string | undefined, opts: TFlags & TFilterFlags & { format: 'csv' | 'json'; epochs?: boolean; team?: string; out?: string }) => {
      // --json means JSON, whatever --format says.
      const format = opts.json ? 'json' : opts.format;
      if (runId === undefined) {
        const api = createApiClient(opts);
        await streamExport(opts, { teamSlug: await resolveTeam(api, opts.team), kind: opts.epochs ? 'epochs' : 'runs', format, filters: filtersFromFlags(opts) }, opts.out);
        return;
      }
      const run = await createApiClient(opts).runs.get.query({ runId });
      const text = format === 'json' ? `${JSON.stringify({ runId: run.id, epochs: run.epochs })}\n` : epochsToCsv(run.epochs);
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}
