import { z } from 'zod';

import { ZArtifactKind } from './worker-protocol';

// The artifact HTTP route beside tRPC (bytes do not fit JSON): PUT uploads (worker token),
// GET downloads (worker token, session or API key). `latest` is the newest checkpoint.
export const ARTIFACT_ROUTE = '/artifacts';
/** Hex SHA-256 of the body: sent with an upload, returned with a download. */
export const ARTIFACT_SHA256_HEADER = 'x-hz-sha256';
/** The checkpoint epoch a download holds (absent for `best` and `model`). */
export const ARTIFACT_EPOCH_HEADER = 'x-hz-epoch';

export const ZArtifactSelector = z.union([ZArtifactKind, z.literal('latest')]);
export type TArtifactSelector = z.infer<typeof ZArtifactSelector>;

export const ZArtifactSummary = z.object({
  kind: ZArtifactKind,
  epoch: z.number().int().nullable(),
  bytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.date(),
});
export type TArtifactSummary = z.infer<typeof ZArtifactSummary>;

/**
 * `/artifacts/<runId>/<kind>[?epoch=N][&attempt=N][&best=1]`. `best=1` on a checkpoint upload: the
 * checkpoint is also the run's best one; the API stores it as `best` too (a copy in the store, no
 * second upload) and says so with `best: true` in its answer.
 */
export function artifactPath(runId: string, selector: TArtifactSelector, query: { epoch?: number | null; attempt?: number; best?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (query.epoch !== undefined && query.epoch !== null) params.set('epoch', String(query.epoch));
  if (query.attempt !== undefined) params.set('attempt', String(query.attempt));
  if (query.best) params.set('best', '1');
  const qs = params.toString();
  return `${ARTIFACT_ROUTE}/${encodeURIComponent(runId)}/${selector}${qs ? `?${qs}` : ''}`;
}
