import { type Command, InvalidArgumentError, Option } from 'commander';

import type { HyperzooClient } from '@hyperzoo/client';
import { SWEEP_STATUSES, type TSweepDetail, type TSweepStatus, type TSweepSummary } from '@hyperzoo/schemas';

import { createApiClient, resolveTeam, type TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';
import { formatPreview, previewSpecFile, SweepUsageError } from './sweep-spec';
import { CANCELLED_EXIT_CODE, describeBest, describeCounts, watchSweep } from './sweep-watch';

type TFlags = TApiFlags & { json?: boolean };

/** Bad input exits 2 with the reason on stderr; API refusals go to main's handler (exit 1). */
async function usage(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof SweepUsageError)) throw err;
    console.error(`hz sweep: ${err.message}`);
    process.exitCode = 2;
  }
}

const parseLimit = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError(`expected 1 to 200, got "${value}"`);
  return n;
};

const fmt = (v: number) => Number(v.toPrecision(4)).toString();

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ') || 'no runs';

/** Watches until the sweep ends; prints its last state (one JSON object with --json); cancelled exits 3. */
async function watchAndReport(api: HyperzooClient, sweepId: string, json: boolean | undefined): Promise<void> {
  const s = await watchSweep(api, sweepId);
  print(json, s, () => `${s.id} ${s.status}: ${describeCounts(s)}; ${describeBest(s)}`);
  if (s.status === 'cancelled') process.exitCode = CANCELLED_EXIT_CODE;
}

function formatSummary(s: TSweepDetail, summary: TSweepSummary): string {
  const params = (p: Record<string, unknown>) => Object.entries(p).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
  return [
    `${s.id}  ${s.name}  ${s.method}  ${s.status}  project ${s.projectSlug}`,
    `${describeCounts(s)}; ${describeBest(s)}`,
    `best runs (${s.metric.name}, ${s.metric.goal}):`,
    ...summary.bestRuns.slice(0, 5).map((r) => `  ${fmt(r.value)} at epoch ${r.epoch ?? '-'}  ${r.runId}  ${r.architecture}  ${params(r.params)}`),
    'marginals (mean +- sd, best, runs):',
    ...summary.marginals.flatMap((m) => [`  ${m.key}`, ...m.groups.map((g) => `    ${g.label.padEnd(16)} ${fmt(g.mean)} +- ${fmt(g.std)}  best ${fmt(g.best)}  n ${g.count}`)]),
    `importance (fANOVA): ${summary.importance.length ? summary.importance.map((i) => `${i.key} ${i.importance.toFixed(2)}`).join(', ') : '-'}`,
  ].join('\n');
}

export function registerSweepCommands(program: Command): void {
  const sweep = program.command('sweep').description('sweeps: many runs from one spec (examples/sweeps)');

  sweep
    .command('preview')
    .description('check a spec and show what it would run (no server needed)')
    .requiredOption('-f, --file <spec.yaml>', 'the sweep spec (YAML or JSON)')
    .option('--json', 'print one JSON object')
    .action((opts: { file: string; json?: boolean }) =>
      usage(() => {
        const { preview } = previewSpecFile(opts.file);
        console.log(opts.json ? JSON.stringify(preview) : formatPreview(preview));
      }),
    );

  withApiOptions(sweep.command('create').description('create a sweep from a spec: its runs are queued at once'))
    .requiredOption('-f, --file <spec.yaml>', 'the sweep spec (YAML or JSON)')
    .option('--project <slug>', 'project (default: the spec’s project)')
    .option('--team <slug>', 'team (default: the API key’s team)')
    .option('--watch', 'then watch it until it ends (as hz sweep watch)')
    .action((opts: TFlags & { file: string; project?: string; team?: string; watch?: boolean }) =>
      usage(async () => {
        // Checked here first, so a bad spec is refused with its YAML lines before any call.
        const { yaml } = previewSpecFile(opts.file);
        const api = createApiClient(opts);
        const teamSlug = await resolveTeam(api, opts.team);
        const created = await api.sweeps.create.mutate({ teamSlug, yaml, project: opts.project });
        if (opts.watch) {
          if (!opts.json) console.log(`sweep ${created.sweepId}: ${created.runs} runs`);
          await watchAndReport(api, created.sweepId, opts.json);
          return;
        }
        print(opts.json, created, () =>
          [
            `sweep ${created.sweepId}: ${created.runs} runs, ${created.queued} queued now`,
            ...(created.enqueueError ? [`the queue refused them for now (${created.enqueueError}); they wait in the database and are queued when it is back`] : []),
            `watch it: hz sweep watch ${created.sweepId}`,
          ].join('\n'),
        );
      }),
    );

  withApiOptions(sweep.command('watch').description('progress bars per run status and the best value, until the sweep ends (exit 3 if it was cancelled)'))
    .argument('<sweepId>')
    .action(async (sweepId: string, opts: TFlags) => watchAndReport(createApiClient(opts), sweepId, opts.json));

  withApiOptions(sweep.command('ls').description('list sweeps, newest first'))
    .option('--team <slug>', 'team (default: the API key’s team)')
    .option('--project <slug>', 'only this project')
    .addOption(new Option('--status <status>', 'only sweeps in this status').choices(SWEEP_STATUSES))
    .option('--limit <n>', 'at most this many', parseLimit, 50)
    .action(async (opts: TFlags & { team?: string; project?: string; status?: TSweepStatus; limit: number }) => {
      const api = createApiClient(opts);
      const page = await api.sweeps.list.query({ teamSlug: await resolveTeam(api, opts.team), project: opts.project, status: opts.status, limit: opts.limit });
      print(opts.json, page, () =>
        page.items.length
          ? page.items.map((s) => [s.id, s.status.padEnd(9), s.projectSlug, s.name, s.method, countsText(s.counts), s.best ? `best ${fmt(s.best.value)}` : 'best -'].join('  ')).join('\n')
          : 'no sweeps',
      );
    });

  withApiOptions(sweep.command('show').description('one sweep: counts, best runs, marginal effects, parameter importance'))
    .argument('<sweepId>')
    .action(async (sweepId: string, opts: TFlags) => {
      const api = createApiClient(opts);
      const [detail, summary] = await Promise.all([api.sweeps.get.query({ sweepId }), api.sweeps.summary.query({ sweepId })]);
      print(opts.json, { ...detail, summary }, () => formatSummary(detail, summary));
    });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    const what = { pause: 'no new runs start; running ones finish', resume: 'start runs again', cancel: 'queued runs are cancelled, running ones stop at a batch boundary' }[action];
    withApiOptions(sweep.command(action).description(`${action} a sweep: ${what}`))
      .argument('<sweepId>')
      .action(async (sweepId: string, opts: TFlags) => {
        const out = await createApiClient(opts).sweeps[action].mutate({ sweepId });
        print(opts.json, out, () => `${out.sweepId}: ${out.status}${out.created ? ` (${out.created} runs queued)` : ''}${out.enqueueError ? `; queue: ${out.enqueueError}` : ''}`);
      });
  }
}
