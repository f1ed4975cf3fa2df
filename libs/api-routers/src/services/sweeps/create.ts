import { isDeepStrictEqual } from 'node:util';

import { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import { formatIssues, ZSlug } from '@hyperzoo/schemas';
import type { TArchitecture, TRunConfig, TSweepPreviewOutput, TSweepSpec } from '@hyperzoo/schemas';
import { expandSweep, previewSweep, randomAssignment, runsOf, validateSweep, validateSweepYaml } from '@hyperzoo/sweeps';
import type { TSearchSpace, TSweepCheck, TSweepIssue, TSweepRun } from '@hyperzoo/sweeps';

import { DomainError } from '../../errors';
import type { TPolicy } from '../policy';
import { findOrCreateProject } from '../runs';
import { checkTransferSource } from '../transfer';
import { planFromSpec } from './plan';
import { enqueueRuns, firstRuns, sweepRowSelect } from './scheduler';
import type { TNewRun, TSweepDeps } from './scheduler';

export interface TSweepSourceInput {
  spec?: unknown;
  yaml?: string;
}

const refuse = (issues: TSweepIssue[]) => new DomainError('BAD_REQUEST', `invalid sweep spec: ${formatIssues(issues)}`, issues);

/** The spec (an object or YAML), checked whole by libs/sweeps; issues carry paths relative to the spec. */
function checkSource(source: TSweepSourceInput): TSweepCheck {
  if ((source.spec === undefined) === (source.yaml === undefined)) return { ok: false, issues: [{ path: 'spec', message: 'give spec (an object) or yaml (text), one of them' }] };
  return source.yaml !== undefined ? validateSweepYaml(source.yaml) : validateSweep(source.spec);
}

function projectSlugOf(spec: TSweepSpec, project: string | undefined): string {
  const slug = project ?? spec.project;
  if (!ZSlug.safeParse(slug).success) throw refuse([{ path: 'project', message: `"${slug}" is not a project slug (lowercase letters, digits and dashes)` }]);
  return slug;
}

/**
 * Every transfer source the sweep can name (a constant or categorical `transfer`,
 * `transfer.fromRunId`, `transfer.modelUrl` or `transfer.backbone`), checked as runs.create checks one, before
 * anything is written: another team's run or a host the operator does not allow fails the sweep.
 */
async function checkTransferSources(db: Db, policy: TPolicy, teamId: string, space: TSearchSpace): Promise<void> {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  for (const p of space.params) {
    if (!p.architectures.includes('transfer') || !(p.path === 'transfer' || p.path.startsWith('transfer.'))) continue;
    const values = p.dim.type === 'constant' ? [p.dim.value] : p.dim.type === 'categorical' ? p.dim.choices : [];
    for (const v of values) {
      const transfer =
        p.path === 'transfer' && v !== null && typeof v === 'object' && !Array.isArray(v)
          ? { fromRunId: str(v.fromRunId), modelUrl: str(v.modelUrl), backbone: str(v.backbone) }
          : p.path === 'transfer.fromRunId'
            ? { fromRunId: str(v) }
            : p.path === 'transfer.modelUrl'
              ? { modelUrl: str(v) }
              : p.path === 'transfer.backbone'
                ? { backbone: str(v) }
                : {};
      await checkTransferSource(db, policy, teamId, { architecture: 'transfer', transfer } as TRunConfig);
    }
  }
}

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

/**
 * The sweep and its first runs (up to maxConcurrent) in one transaction, then their jobs. If
 * Redis is down the answer says so at once (enqueueError) and the runs wait, queued, for the
 * reconciler; nothing is lost and the request does not hang.
 */
export async function createSweep(
  deps: TSweepDeps & { policy: TPolicy },
  input: TSweepSourceInput & { teamId: string; project?: string; idempotencyKey?: string },
): Promise<{ sweepId: string; runs: number; queued: number; enqueueError?: string }> {
  const checked = checkSource(input);
  if (!checked.ok) throw refuse(checked.issues);
  const { spec, space } = checked;
  await checkTransferSources(deps.db, deps.policy, input.teamId, space);
  const projectSlug = projectSlugOf(spec, input.project);
  const plan = planFromSpec(spec);
  const key = input.idempotencyKey ?? null;
  let made: { sweepId: string; maxRuns: number; created: TNewRun[] };
  try {
    made = await deps.db.$transaction(
      async (tx) => {
        const project = await findOrCreateProject(tx, input.teamId, projectSlug);
        const existing = key === null ? null : await tx.sweep.findUnique({ where: { projectId_idempotencyKey: { projectId: project.id, idempotencyKey: key } }, select: { id: true, maxRuns: true } });
        if (existing) return { sweepId: existing.id, maxRuns: existing.maxRuns, created: [] };
        const sweep = await tx.sweep.create({
          data: {
            projectId: project.id,
            name: spec.name,
            method: spec.method,
            spec: spec as Prisma.InputJsonValue,
            seed: spec.seed,
            metricName: spec.metric.name,
            metricGoal: spec.metric.goal,
            maxRuns: plan.initialRuns,
            maxConcurrent: spec.maxConcurrent,
            idempotencyKey: key,
          },
          select: sweepRowSelect,
        });
        return { sweepId: sweep.id, maxRuns: sweep.maxRuns, created: await firstRuns(tx, sweep, plan) };
      },
      { timeout: 60_000 },
    );
  } catch (err) {
    if (key === null || !isUniqueViolation(err)) throw err;
    // A concurrent call with the same key won: answer with its sweep.
    const other = await deps.db.sweep.findFirstOrThrow({ where: { idempotencyKey: key, project: { teamId: input.teamId, slug: projectSlug } }, select: { id: true, maxRuns: true } });
    made = { sweepId: other.id, maxRuns: other.maxRuns, created: [] };
  }
  deps.live.publishStatus(made.created.map((r) => ({ runId: r.id, attempt: 0, status: 'queued' })));
  const enqueueError = await enqueueRuns(deps.queues, { teamId: input.teamId, resourceClass: spec.resourceClass }, made.created);
  return { sweepId: made.sweepId, runs: made.maxRuns, queued: made.created.length, ...(enqueueError ? { enqueueError } : {}) };
}

/** Runs whose epochs the estimate adds up: the plan's (grid, random), or random configurations standing in for TPE's. */
function sampleRuns(spec: TSweepSpec, space: TSearchSpace, runs: number): TSweepRun[] {
  if (spec.method !== 'tpe') return expandSweep(spec, space);
  return Array.from({ length: Math.ceil(runs / spec.repeats) }, (_, c) => runsOf(spec, space, randomAssignment(space, spec.seed, c), c)).flat();
}

/**
 * Wall time from the team's measured epochs of finished runs of the same architecture on the
 * same data (dataset and data options equal): sum of run times over maxConcurrent slots.
 * Null when an architecture of the sweep has no such run yet.
 */
async function estimate(db: Db, teamId: string, spec: TSweepSpec, space: TSearchSpace, runs: number): Promise<{ seconds: number; basis: string } | null> {
  const sample = sampleRuns(spec, space, runs);
  const data = sample[0]?.config.data ?? null;
  const archs = [...new Set(sample.map((r) => r.config.architecture))];
  const epochMs = new Map<TArchitecture, number>();
  let measured = 0;
  for (const architecture of archs) {
    const similar = await db.run.findMany({
      where: { project: { teamId }, architecture, status: 'succeeded', dataset: spec.dataset.dataset },
      select: { config: true, epochs: { select: { durationMs: true } } },
      orderBy: { finishedAt: 'desc' },
      take: 50,
    });
    // Deep equality, not JSON text: jsonb stores keys in its own order.
    const durations = similar.filter((r) => isDeepStrictEqual((r.config as { data?: unknown }).data ?? null, data)).flatMap((r) => r.epochs.map((e) => e.durationMs));
    if (durations.length === 0) return null;
    epochMs.set(architecture, durations.reduce((a, b) => a + b, 0) / durations.length);
    measured += durations.length;
  }
  const totalMs = sample.reduce((sum, r) => sum + (epochMs.get(r.config.architecture) ?? 0) * r.config.epochs, 0);
  const seconds = totalMs / 1000 / Math.max(1, Math.min(spec.maxConcurrent, sample.length));
  return { seconds, basis: `mean of ${measured} measured epochs of finished ${archs.join(', ')} runs on the same data, every run to its last epoch, ${Math.min(spec.maxConcurrent, sample.length)} at a time` };
}

/**
 * sweeps.preview: what the spec would create and how long it would take by the team's
 * measurements, or the spec's issues as data (sweeps.create refuses the same spec with them).
 */
export async function previewSweepFor(db: Db, teamId: string, source: TSweepSourceInput): Promise<TSweepPreviewOutput> {
  const checked = checkSource(source);
  if (!checked.ok) return checked;
  // The checked spec (defaults filled in) reads the same again.
  const previewed = previewSweep(checked.spec);
  if (!previewed.ok) return previewed;
  return { ok: true, ...previewed.preview, estimate: await estimate(db, teamId, checked.spec, checked.space, previewed.preview.runs) };
}
