import { type Command, Option } from 'commander';

import { LEADERBOARD_METRICS } from '@hyperzoo/schemas';
import type { TDatasetName, TLeaderboardMetric } from '@hyperzoo/schemas';

import { createApiClient, resolveTeam } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

const fmt = (v: number | null) => (v === null ? '-' : Number(v.toFixed(4)).toString());

export function registerLeaderboardCommand(program: Command): void {
  withApiOptions(program.command('leaderboard').description('a team’s best runs on a data set: pins first, then by test accuracy (val_accuracy where no test)'))
    .argument('<dataset>')
    .addOption(new Option('--by <what>', 'one row per architecture or per run').choices(['architecture', 'run']).default('architecture'))
    .addOption(new Option('--metric <name>', 'rank by').choices(Object.keys(LEADERBOARD_METRICS)).default('test_accuracy'))
    .option('--team <slug>', 'team (default: the API key’s team)')
    .action(async (dataset: string, opts: TApiFlags & { json?: boolean; by: 'architecture' | 'run'; metric: TLeaderboardMetric; team?: string }) => {
      const api = createApiClient(opts);
      const teamSlug = await resolveTeam(api, opts.team);
      // The API checks the name and says which data sets exist.
      const board = await api.leaderboards.get.query({ teamSlug, dataset: dataset as TDatasetName, by: opts.by, metric: opts.metric });
      print(opts.json, board, () =>
        board.rows.length === 0
          ? `no ranked runs on ${dataset}`
          : [
              ['#', 'architecture', opts.metric, 'from', 'gap(loss)', 'params', 'run', ''].join('\t'),
              ...board.rows.map((r) =>
                [r.rank, r.architecture, fmt(r.score), r.scoreFrom ?? '-', fmt(r.gapLoss), r.paramCount ?? '-', `${r.name} ${r.runId}`, r.pinned ? 'pinned' : ''].join('\t'),
              ),
            ].join('\n'),
      );
    });
}
