import { Prisma, retryTransaction } from '@hyperzoo/db';
import type { Db, DbClient } from '@hyperzoo/db';
import type { TrainQueues } from '@hyperzoo/queue';
import { fromEpochRow, ZRunConfig } from '@hyperzoo/schemas';
import type { TResourceClass, TRunConfig, TRunDetail, TRunSummary, TUpdateRunInput } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import type { TPolicy } from './policy';
import { storeRunSummary } from './run-summary';
import { advanceSweep } from './sweeps/scheduler';
import type { TStatusPublisher } from './live-hub';
import { checkTransferSource } from './transfer';

const runSummarySelect = {
  id: true,
  name: true,
  status: true,
  architecture: true,
  dataset: true,
  resourceClass: true,
  attempt: true,
  backend: true,
  device: true,
  paramCount: true,
  bestEpoch: true,
  stoppedEpoch: true,
  testLoss: true,
  testAccuracy: true,
  bestValAccuracy: true,
  bestValLoss: true,
  bestAccuracy: true,
  bestLoss: true,
  gapLoss: true,
  gapAccuracy: true,
  durationMs: true,
  epochsDone: true,
  tags: true,
  notes: true,
  deletedAt: true,
  pinnedAt: true,
  error: true,
  sweepId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  project: { select: { slug: true } },
} satisfies Prisma.RunSelect;

type TRunSummaryRow = Prisma.RunGetPayload<{ select: typeof runSummarySelect }>;

/** The summary's columns as SQL (alias r, project p), for raw queries that return summaries. */
export const RUN_SUMMARY_SQL = Prisma.raw(
  [...Object.keys(runSummarySelect).filter((k) => k !== 'project').map((k) => `r."${k}"`), 'p."slug" AS "projectSlug"'].join(', '),
);

function toRunSummary(r: TRunSummaryRow): TRunSummary {
  const { project, ...rest } = r;
  return { ...rest, projectSlug: project.slug };
}

/**
 * Race-free: concurrent creates of one new slug make one project (an upsert here raced into unique
 * violations). An archived project refuses new runs.
 */
export async function findOrCreateProject(db: Db, teamId: string, slug: string) {
  await db.project.createMany({ data: [{ teamId, slug, name: slug }], skipDuplicates: true });
  const project = await db.project.findUniqueOrThrow({ where: { teamId_slug: { teamId, slug } }, select: { id: true, slug: true, archivedAt: true } });
  if (project.archivedAt) throw new DomainError('PRECONDITION_FAILED', `project "${slug}" is archived; unarchive it to add runs`);
  return { id: project.id, slug: project.slug };
}

function defaultRunName(config: TRunConfig): string {
  const activation = 'activation' in config ? `-${config.activation}` : '';
  return `${config.architecture}-${config.optimizer.name}${activation}-s${config.seed}`;
}

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

/**
 * Creates the run row (status queued) and its job. The DB row comes first: if Redis is down
 * the run stays queued and the reconciler enqueues it later, so nothing is lost.
 */
export async function createRun(
  deps: { db: DbClient; queues: TrainQueues; live: TStatusPublisher; policy: Pick<TPolicy, 'modelUrlPrefixes'> },
  input: {
    teamId: string;
    projectSlug: string;
    name?: string;
    resourceClass: TResourceClass;
    config: TRunConfig;
    sweepId?: string;
    idempotencyKey?: string;
  },
): Promise<TRunSummary> {
  await checkTransferSource(deps.db, deps.policy, input.teamId, input.config);
  const key = input.idempotencyKey ?? null;
  let run: TRunSummaryRow;
  let isNew = true;
  try {
    // One transaction: a run that cannot be written leaves no new project behind. Retried whole
    // when the database was unreachable: an API key's call reaches it with no query before.
    run = await retryTransaction(() => deps.db.$transaction(async (tx) => {
      const project = await findOrCreateProject(tx, input.teamId, input.projectSlug);
      const data = {
        projectId: project.id,
        sweepId: input.sweepId ?? null,
        name: input.name ?? defaultRunName(input.config),
        resourceClass: input.resourceClass,
        config: input.config as Prisma.InputJsonValue,
        architecture: input.config.architecture,
        dataset: input.config.data.dataset,
        idempotencyKey: key,
      };
      const existing =
        key === null ? null : await tx.run.findUnique({ where: { projectId_idempotencyKey: { projectId: project.id, idempotencyKey: key } }, select: runSummarySelect });
      isNew = existing === null;
      return existing ?? tx.run.create({ data, select: runSummarySelect });
    }));
  } catch (err) {
    // A concurrent call with the same key won the insert: answer with its run.
    if (key === null || !isUniqueViolation(err)) throw err;
    isNew = false;
    run = await deps.db.run.findFirstOrThrow({ where: { idempotencyKey: key, project: { teamId: input.teamId, slug: input.projectSlug } }, select: runSummarySelect });
  }
  if (isNew) deps.live.publishStatus([{ runId: run.id, attempt: run.attempt, status: 'queued' }]);
  try {
    // A run found by its key already has its job (or the reconciler gives it one).
    if (isNew) await deps.queues.enqueue({ runId: run.id, teamId: input.teamId, config: input.config }, input.resourceClass);
  } catch (err) {
    // Left queued in the DB; the reconciler retries. Say so rather than failing the request.
    console.warn(`run ${run.id}: enqueue failed, the reconciler will retry: ${(err as Error).message}`);
  }
  return toRunSummary(run);
}

export async function findRunSummary(db: Db, runId: string): Promise<TRunSummary> {
  return toRunSummary(await db.run.findUniqueOrThrow({ where: { id: runId }, select: runSummarySelect }));
}

export async function getRun(db: Db, runId: string): Promise<TRunDetail> {
  const run = await db.run.findUnique({
    where: { id: runId },
    select: { ...runSummarySelect, config: true, dataProvenance: true, prunedRung: true, prunedCutoff: true, epochs: { orderBy: { epoch: 'asc' } } },
  });
  if (!run) throw new DomainError('NOT_FOUND', `run ${runId} not found`);
  const { config, dataProvenance, epochs, prunedRung, prunedCutoff, ...summary } = run;
  return {
    ...toRunSummary(summary),
    config: ZRunConfig.parse(config),
    dataProvenance: dataProvenance ?? null,
    prunedRung,
    prunedCutoff,
    epochs: epochs.map(fromEpochRow),
  };
}

/** Queued runs are cancelled at once; running ones are flagged and the worker stops at the next batch. */
export async function cancelRun(deps: { db: DbClient; queues: TrainQueues; live: TStatusPublisher }, runId: string): Promise<TRunSummary> {
  const run = await deps.db.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, resourceClass: true, project: { select: { teamId: true } } } });
  if (run.status === 'queued') {
    await deps.queues.remove(runId, { teamId: run.project.teamId, resourceClass: run.resourceClass }).catch(() => false);
    const updated = await deps.db.run.updateMany({
      where: { id: runId, status: 'queued' },
      data: { status: 'cancelled', cancelRequestedAt: new Date(), finishedAt: new Date() },
    });
    if (updated.count === 1) {
      await storeRunSummary(deps.db, runId);
      const cancelled = await deps.db.run.findUniqueOrThrow({ where: { id: runId }, select: runSummarySelect });
      deps.live.publishStatus([{ runId, attempt: cancelled.attempt, status: 'cancelled' }]);
      // Its slot in a sweep is free now.
      if (cancelled.sweepId) await advanceSweep(deps, cancelled.sweepId);
      return toRunSummary(cancelled);
    }
  }
  if (run.status === 'queued' || run.status === 'running') {
    await deps.db.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
  }
  return toRunSummary(await deps.db.run.findUniqueOrThrow({ where: { id: runId }, select: runSummarySelect }));
}

/** Name, tags (deduplicated, in the order given) and notes; null notes clears them. */
export async function updateRun(db: Db, runId: string, input: TUpdateRunInput): Promise<TRunSummary> {
  const run = await db.run.update({
    where: { id: runId },
    data: { name: input.name, tags: input.tags ? [...new Set(input.tags)] : undefined, notes: input.notes },
    select: runSummarySelect,
  });
  return toRunSummary(run);
}

/** Soft delete: the run leaves lists, compare and leaderboards, and stays in the DB to restore. A running run is cancelled first. */
export async function setRunDeleted(deps: { db: DbClient; queues: TrainQueues; live: TStatusPublisher }, runId: string, deleted: boolean): Promise<TRunSummary> {
  if (deleted) await cancelRun(deps, runId);
  await deps.db.run.updateMany({ where: { id: runId, deletedAt: deleted ? null : { not: null } }, data: { deletedAt: deleted ? new Date() : null } });
  return findRunSummary(deps.db, runId);
}
