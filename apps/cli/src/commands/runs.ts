import { writeFileSync } from 'node:fs';

import { type Command, InvalidArgumentError, Option } from 'commander';

import { EPOCH_METRIC_NAMES } from '@hyperzoo/schemas';
import type { TEpochMetric, TEpochMetricName, TRunSummary } from '@hyperzoo/schemas';

import { createApiClient, resolveTeam } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

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
  return [r.id, r.status.padEnd(9), r.projectSlug, r.name, `best ${r.bestEpoch ?? '-'}`, `test acc ${fmt(r.testAccuracy)}`].join('  ');
}

/** CSV of epochs: one row each, the catalogue's Keras names as columns, empty for null. */
function epochsToCsv(epochs: readonly TEpochMetric[]): string {
  const header = ['epoch', 'phase', ...EPOCH_METRIC_NAMES];
  const rows = epochs.map((e) => [e.epoch, e.phase, ...EPOCH_METRIC_NAMES.map((n) => e[n] ?? '')].join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('runs on the platform');

  withApiOptions(runs.command('ls').description('list runs, newest first'))
    .option('--team <slug>', 'team (default: the API key’s team)')
    .option('--project <slug>', 'only this project')
    .option('--limit <n>', 'at most this many', parseLimit, 50)
    .action(async (opts: TFlags & { team?: string; project?: string; limit: number }) => {
      const api = createApiClient(opts);
      const teamSlug = await resolveTeam(api, opts.team);
      const page = await api.runs.list.query({ teamSlug, projectSlug: opts.project, limit: opts.limit });
      print(opts.json, page, () => (page.runs.length ? page.runs.map(formatRunLine).join('\n') : 'no runs'));
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
          ...out.runs.map((r) => `${r.id}  ${r.name}  ${r.status}  ${opts.metrics.map((m) => `${m} ${fmt(r.curves[m]?.at(-1)?.value)}`).join('  ')}`),
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

  withApiOptions(runs.command('export').description('a run’s epochs as CSV or JSON'))
    .argument('<runId>')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (runId: string, opts: TFlags & { format: 'csv' | 'json'; out?: string }) => {
      const run = await createApiClient(opts).runs.get.query({ runId });
      // --json means JSON, whatever --format says.
      const text = opts.format === 'json' || opts.json ? `${JSON.stringify({ runId: run.id, epochs: run.epochs })}\n` : epochsToCsv(run.epochs);
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}
