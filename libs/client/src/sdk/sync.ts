import { isTerminalStatus, MAX_EPOCHS_PER_REPORT } from '@hyperzoo/schemas';

import type { HyperzooClient } from '../client';
import { withApiRetry } from '../reporter/retry';
import { OfflineRunDir } from './offline';

export interface TSyncResult {
  runId: string;
  epochs: number;
  finished: boolean;
  /** The API already had the run ended: nothing was sent again. */
  alreadyFinished: boolean;
}

/** The team an API key belongs to (a key has exactly one). */
export async function findKeyTeam(api: HyperzooClient): Promise<string> {
  const me = await withApiRetry(() => api.auth.me.query(), { deadlineMs: 30_000 });
  const team = me.teams[0];
  if (!team) throw new Error('this API key belongs to no team');
  return team.slug;
}

/**
 * Uploads an offline run. Idempotent: the run keeps the id it was given offline, epochs are
 * upserted on (run, epoch), and a run the API already has as ended is left alone.
 */
export async function syncOfflineRun(api: HyperzooClient, dir: string): Promise<TSyncResult> {
  const local = new OfflineRunDir(dir);
  const run = local.readRun();
  const epochs = local.readEpochs();
  const result = local.readResult();
  const teamSlug = run.teamSlug ?? (await findKeyTeam(api));
  const created = await withApiRetry(() =>
    api.sdk.createRun.mutate({ teamSlug, runId: run.runId, projectSlug: run.projectSlug, name: run.name ?? undefined, config: run.config }),
  );
  if (isTerminalStatus(created.status)) return { runId: run.runId, epochs: 0, finished: true, alreadyFinished: true };
  for (let i = 0; i < epochs.length; i += MAX_EPOCHS_PER_REPORT) {
    const batch = epochs.slice(i, i + MAX_EPOCHS_PER_REPORT);
    await withApiRetry(() => api.sdk.logEpochs.mutate({ runId: run.runId, epochs: batch }));
  }
  if (result) await withApiRetry(() => api.sdk.finishRun.mutate({ runId: run.runId, result }));
  return { runId: run.runId, epochs: epochs.length, finished: result !== null, alreadyFinished: false };
}
