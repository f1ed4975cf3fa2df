'use client';

import { useQuery } from '@tanstack/react-query';

import { artifactPath } from '@hyperzoo/schemas';

import { formatBytes } from '@/lib/bytes';
import { describeError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

/** A run's stored checkpoints and models (artifacts.list); downloads go through the API's artifact route, which checks the session. */
export function RunArtifacts({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const artifacts = useQuery(trpc.artifacts.list.queryOptions({ runId }));
  if (artifacts.isError) return <p className="error-box">Could not load the artifacts: {describeError(artifacts.error)}</p>;
  if (artifacts.isPending) return <p className="muted">Loading artifacts…</p>;
  if (artifacts.data.length === 0) return <p className="empty">No artifacts stored for this run.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Artifacts">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Epoch</th>
            <th>Size</th>
            <th>SHA-256</th>
            <th>Stored</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {artifacts.data.map((a) => {
            const href = artifactPath(runId, a.kind, { epoch: a.kind === 'checkpoint' ? a.epoch : null });
            return (
              <tr key={`${a.kind}-${a.epoch ?? ''}`}>
                <td>{a.kind}</td>
                <td>{a.epoch ?? '—'}</td>
                <td className="nowrap" title={`${a.bytes} bytes`}>
                  {formatBytes(a.bytes)}
                </td>
                <td>
                  <code className="sha" title={a.sha256}>
                    {a.sha256}
                  </code>
                </td>
                <td className="nowrap">{formatDateTime(a.createdAt)}</td>
                <td>
                  <a className="button button-compact" href={href} download aria-label={`Download ${a.kind}${a.epoch === null ? '' : ` of epoch ${a.epoch}`}`}>
                    Download
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
