import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';

import type { ArtifactClient } from '@hyperzoo/client/artifacts';
import type { TArtifactKind } from '@hyperzoo/schemas';
import { checkpointName, FINAL_MODEL, LATEST, pointLatestAt, readCheckpointState } from '@hyperzoo/models/checkpoint-layout';

// The one place where the worker brings a run's artifacts from the API to this host, so a run
// resumes (and a model loads) on any host, whatever the last one wrote to its own disk.

/**
 * Makes `<checkpointDir>/latest` the run's newest checkpoint: the one on this disk if there is
 * one, else the API's `latest` (downloaded, verified, renamed into place), with the checkpoint
 * of its best epoch beside it when restore_best_weights will need those weights at the end.
 * Returns the local `latest` path, or null when the run has no checkpoint anywhere yet.
 * `remote: false`: the caller knows the API holds none (a run's first attempt); only the disk is looked at.
 */
export async function restoreLatestCheckpoint(artifacts: ArtifactClient, runId: string, checkpointDir: string, opts: { remote: boolean } = { remote: true }): Promise<string | null> {
  const latest = path.join(checkpointDir, LATEST);
  if (existsSync(latest)) return latest;
  if (!opts.remote) return null;
  const epoch = await downloadCheckpoint(artifacts, runId, checkpointDir, null);
  if (epoch === null) return null;
  const { earlyStopping } = await readCheckpointState(path.join(checkpointDir, checkpointName(epoch)));
  const best = earlyStopping.hasSnapshot ? earlyStopping.bestEpoch : null;
  if (best !== null && best !== epoch && (await downloadCheckpoint(artifacts, runId, checkpointDir, best)) === null) {
    throw new Error(`run ${runId}: the API has no checkpoint of epoch ${best}, the best one, which restore_best_weights needs`);
  }
  await pointLatestAt(checkpointDir, checkpointName(epoch));
  return latest;
}

/** The API's checkpoint of `epoch` (null: the newest) into `<checkpointDir>/epoch-NNNN`; its epoch, or null if there is none. */
async function downloadCheckpoint(artifacts: ArtifactClient, runId: string, checkpointDir: string, epoch: number | null): Promise<number | null> {
  const incoming = path.join(checkpointDir, `download-${epoch ?? LATEST}`);
  const got = await artifacts.download({ runId, selector: epoch === null ? 'latest' : 'checkpoint', epoch: epoch ?? undefined, dest: incoming });
  if (!got) return null;
  if (got.epoch === null) {
    await rm(incoming, { recursive: true, force: true });
    throw new Error(`run ${runId}: the API's checkpoint names no epoch`);
  }
  const name = checkpointName(got.epoch);
  await rm(path.join(checkpointDir, name), { recursive: true, force: true });
  await rename(incoming, path.join(checkpointDir, name));
  return got.epoch;
}

/**
 * A finished run's model on this host (`<artifactRoot>/<runId>/final`), downloaded from the API
 * when missing; else its newest checkpoint. For transfer runs (`transfer.fromRunId`) and
 * prediction. Null when the run has neither.
 */
export async function ensureRunModel(artifacts: ArtifactClient, artifactRoot: string, runId: string): Promise<string | null> {
  const runDir = path.join(artifactRoot, runId);
  const finalDir = path.join(runDir, FINAL_MODEL);
  if (existsSync(path.join(finalDir, 'model.json'))) return finalDir;
  if (await artifacts.download({ runId, selector: 'model', dest: finalDir })) return finalDir;
  return restoreLatestCheckpoint(artifacts, runId, runDir);
}

/**
 * One artifact of a run (`model`, `best`, or the checkpoint of `epoch`) on this host, under
 * `<artifactRoot>/<runId>/fetched/`, downloaded through the API once: what a prediction loads.
 * Null when the store has no such artifact.
 */
export async function ensureArtifactModel(artifacts: ArtifactClient, artifactRoot: string, runId: string, kind: TArtifactKind, epoch: number | null): Promise<string | null> {
  const dir = path.join(artifactRoot, runId, 'fetched', kind === 'checkpoint' ? checkpointName(epoch ?? 0) : kind);
  if (existsSync(path.join(dir, 'model.json'))) return dir;
  const incoming = `${dir}.download`;
  await rm(incoming, { recursive: true, force: true });
  const got = await artifacts.download({ runId, selector: kind, epoch: epoch ?? undefined, dest: incoming });
  if (!got) return null;
  await rm(dir, { recursive: true, force: true });
  await rename(incoming, dir);
  return dir;
}
