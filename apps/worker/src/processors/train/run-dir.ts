import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { LATEST } from '@hyperzoo/models/checkpoint-layout';

/** Undelivered epoch reports, next to the run's checkpoints, so any attempt on this host replays them. */
const SPOOL_FILE = 'pending-epochs.jsonl';

/** `<artifact root>/<runId>`: the run's checkpoints (libs/models' layout) and its report spool. */
export async function prepareRunDir(artifactDir: string, runId: string) {
  const artifactRoot = path.resolve(artifactDir);
  const checkpointDir = path.join(artifactRoot, runId);
  await mkdir(checkpointDir, { recursive: true });
  return { artifactRoot, checkpointDir, latest: path.join(checkpointDir, LATEST), spoolFile: path.join(checkpointDir, SPOOL_FILE) };
}
