import type { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import type { TEpochMetric, TRunConfig, TRunResult, TRunSummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { finishRun, notSdkRun, reportEpochs } from './ingest';
import { findOrCreateProject, findRunSummary } from './runs';

/** SDK runs have one attempt: the user's script. */
const SDK_ATTEMPT = 1;

/**
 * Creates a run logged from a user's script: running at once, never queued. Idempotent on the
 * client's run id, so a retried create or a second `hz sync` finds the run it made before.
 */
export async function createSdkRun(
  db: Db,
  input: { teamId: string; runId: string; projectSlug: string; name?: string; config: TRunConfig },
): Promise<TRunSummary> {
  const project = await findOrCreateProject(db, input.teamId, input.projectSlug);
  await db.run.createMany({
    data: [
      {
        id: input.runId,
        projectId: project.id,
        source: 'sdk',
        status: 'running',
        attempt: SDK_ATTEMPT,
        startedAt: new Date(),
        name: input.name ?? `${input.config.architecture}-sdk`,
        config: input.config as Prisma.InputJsonValue,
        architecture: input.config.architecture,
        dataset: input.config.data.dataset,
      },
    ],
    skipDuplicates: true,
  });
  const run = await db.run.findFirst({ where: { id: input.runId, source: 'sdk', project: { teamId: input.teamId } }, select: { id: true } });
  // The id is taken by a run this caller may not log to (another team's, or a worker's).
  if (!run) throw new DomainError('CONFLICT', `run id ${input.runId} is already used by another run`);
  return findRunSummary(db, run.id);
}

/** A user's key sees its own team's runs only (the platform pool is for workers). */
const ownTeam = (teamId: string) => ({ teamId, servesPlatformPool: false });

/** Only SDK runs take epochs from a runs:write key; worker runs take them from their worker. */
async function requireSdkRun(db: Db, runId: string) {
  const run = await db.run.findUnique({ where: { id: runId }, select: { source: true } });
  if (run?.source !== 'sdk') throw notSdkRun(runId);
}

export async function logSdkEpochs(db: Db, teamId: string, input: { runId: string; epochs: TEpochMetric[] }) {
  return reportEpochs(db, ownTeam(teamId), { ...input, attempt: SDK_ATTEMPT, sdkOnly: true });
}

export async function finishSdkRun(db: Db, teamId: string, input: { runId: string; result: TRunResult }): Promise<TRunSummary> {
  await requireSdkRun(db, input.runId);
  await finishRun(db, ownTeam(teamId), { ...input, attempt: SDK_ATTEMPT });
  return findRunSummary(db, input.runId);
}
