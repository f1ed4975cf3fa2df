import type { Db } from '@hyperzoo/db';
import { KNOWN_BACKBONE_URLS, type TRunConfig } from '@hyperzoo/schemas';
import { z } from 'zod';

import { DomainError } from '../errors';

/** Same scheme, host and port, and a path below the prefix's, with no `..` segment (also percent-encoded). */
function isAllowedModelUrl(url: string, prefixes: readonly string[]): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  if (u.username || u.password) return false;
  const segments = u.pathname.split('/').map((s) => s.toLowerCase());
  if (segments.some((s) => s === '..' || s === '.' || s.includes('%2e%2e') || s.includes('%2f') || s.includes('%5c'))) return false;
  return prefixes.some((p) => {
    if (!URL.canParse(p)) return false;
    const prefix = new URL(p);
    return prefix.protocol === u.protocol && prefix.host === u.host && u.pathname.startsWith(prefix.pathname);
  });
}

/**
 * Where a transfer run's backbone may come from, checked before the run exists: a succeeded run
 * of the caller's team (another team's answers as missing), or a URL under a prefix the operator
 * allows. For every path that creates runs (runs.create, sweeps).
 */
export async function checkTransferSource(db: Db, policy: { modelUrlPrefixes: readonly string[] }, teamId: string, config: TRunConfig): Promise<void> {
  if (config.architecture !== 'transfer') return;
  const { fromRunId, modelUrl, backbone } = config.transfer;
  // A known backbone without modelUrl loads from its registered public URL: the same allow-list applies.
  const registered = modelUrl === undefined && backbone !== undefined ? KNOWN_BACKBONE_URLS[backbone] : undefined;
  if (registered === null) {
    throw new DomainError('BAD_REQUEST', `transfer.backbone: ${backbone} has no public TensorFlow.js conversion; give transfer.modelUrl where yours is`);
  }
  const url = modelUrl ?? registered;
  if (url !== undefined && !isAllowedModelUrl(url, policy.modelUrlPrefixes)) {
    const allowed = policy.modelUrlPrefixes.length ? `one of: ${policy.modelUrlPrefixes.join(', ')}` : 'none are allowed on this server';
    const field = modelUrl === undefined ? `transfer.backbone: ${backbone} loads from ${url}, which is` : 'transfer.modelUrl:';
    throw new DomainError('BAD_REQUEST', `${field} not under a URL prefix the operator allows (${allowed}); use transfer.fromRunId`);
  }
  if (fromRunId === undefined) return;
  const run = z.uuid().safeParse(fromRunId).success
    ? await db.run.findFirst({ where: { id: fromRunId, project: { teamId } }, select: { status: true } })
    : null;
  if (!run) throw new DomainError('NOT_FOUND', `transfer.fromRunId: run ${fromRunId} not found`);
  if (run.status !== 'succeeded') throw new DomainError('PRECONDITION_FAILED', `transfer.fromRunId: run ${fromRunId} is ${run.status}; only a succeeded run can be built on`);
}
