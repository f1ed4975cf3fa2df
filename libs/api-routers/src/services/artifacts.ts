import type { Db } from '@hyperzoo/db';
import type { TArtifactKind, TArtifactSelector, TArtifactSummary } from '@hyperzoo/schemas';

import { DomainError } from '../errors';
import { getRunAccess, requireWorkerScope } from './access';
import type { TPrincipal } from './auth';
import { runsServedBy } from './platform-pool';

const summary = { kind: true, epoch: true, bytes: true, sha256: true, createdAt: true } as const;

const toSummary = (a: { kind: string; epoch: number | null; bytes: bigint; sha256: string; createdAt: Date }): TArtifactSummary => ({
  ...a,
  kind: a.kind as TArtifactKind,
  bytes: Number(a.bytes),
});

/** A run's artifacts: checkpoints by epoch, then `best` and `model`. */
export async function listArtifacts(db: Db, runId: string): Promise<TArtifactSummary[]> {
  const rows = await db.artifact.findMany({ where: { runId }, select: summary, orderBy: [{ kind: 'asc' }, { epoch: 'asc' }] });
  return rows.map(toSummary);
}

/**
 * Who may download a run's artifacts: a worker token of the run's team (a resuming worker), or a
 * member (any role, session or API key) of it. Another team's run answers NOT_FOUND like a missing one.
 */
async function requireDownloadAccess(db: Db, principal: TPrincipal, runId: string, platformPoolTeamId: string | null): Promise<void> {
  if (principal.kind === 'apiKey' && principal.scopes.includes('worker')) {
    const n = await db.run.count({ where: { id: runId, ...runsServedBy(requireWorkerScope(principal, platformPoolTeamId)) } });
    if (n === 0) throw new DomainError('NOT_FOUND', `run ${runId} not found`);
    return;
  }
  await getRunAccess(db, principal, runId, 'viewer');
}

/** The artifact a download asks for: `latest` (or `checkpoint` without epoch) is the newest checkpoint. */
export async function findArtifactForDownload(
  db: Db,
  principal: TPrincipal,
  input: { runId: string; selector: TArtifactSelector; epoch: number | null },
  platformPoolTeamId: string | null,
): Promise<TArtifactSummary> {
  await requireDownloadAccess(db, principal, input.runId, platformPoolTeamId);
  const kind = input.selector === 'latest' ? 'checkpoint' : input.selector;
  const epoch = kind === 'checkpoint' ? input.epoch : null;
  const row = await db.artifact.findFirst({
    where: { runId: input.runId, kind, ...(kind === 'checkpoint' && epoch === null ? {} : { epoch }) },
    select: summary,
    orderBy: { epoch: { sort: 'desc', nulls: 'last' } },
  });
  if (!row) throw new DomainError('NOT_FOUND', `run ${input.runId} has no ${input.selector}${epoch === null ? '' : ` of epoch ${epoch}`} artifact`);
  return toSummary(row);
}
