import type { Command } from 'commander';

import { syncOfflineRun } from '@hyperzoo/client/sdk';
import type { TSyncResult } from '@hyperzoo/client/sdk';

import { createApiClient } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

export function registerSyncCommand(program: Command): void {
  withApiOptions(program.command('sync').description('upload runs logged offline by the SDK (safe to repeat)'))
    .argument('<dirs...>', 'run directories (each holds run.json)')
    .action(async (dirs: string[], opts: TApiFlags & { json?: boolean }) => {
      const api = createApiClient(opts);
      const results: (TSyncResult & { dir: string })[] = [];
      for (const dir of dirs) results.push({ dir, ...(await syncOfflineRun(api, dir)) });
      print(opts.json, results, () =>
        results
          .map((r) => `${r.dir}: run ${r.runId} ${r.alreadyFinished ? 'already uploaded' : `${r.epochs} epochs${r.finished ? ', finished' : ''}`}`)
          .join('\n'),
      );
    });
}
