'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';

import { useProjectParam } from '@/components/project-switcher';
import { SweepProgress, SweepStatusBadge } from '@/components/sweeps/sweep-progress';
import { describeError } from '@/lib/errors';
import { formatDateTime, formatMetric } from '@/lib/format';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

const PAGE = 50;

/** A team's sweeps, newest first, for one project (?project=) or all. */
export function SweepsList({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  // The section nav's project switcher sets ?project=.
  const project = useProjectParam() ?? '';
  const { role } = useTeamRole(teamSlug);
  const canCreate = role !== undefined && role !== 'viewer';
  const input = { teamSlug, limit: PAGE, ...(project ? { project } : {}) };
  const sweeps = useInfiniteQuery(trpc.sweeps.list.infiniteQueryOptions(input, { getNextPageParam: (p) => p.nextCursor ?? undefined }));
  const rows = sweeps.data?.pages.flatMap((p) => p.items) ?? [];
  const base = `/teams/${encodeURIComponent(teamSlug)}/sweeps`;

  return (
    <section>
      <div className="page-title">
        <h1>Sweeps</h1>
        {canCreate && (
          <Link className="button push-right" href={`${base}/new${project ? `?project=${encodeURIComponent(project)}` : ''}`}>
            New sweep
          </Link>
        )}
      </div>
      {sweeps.isError && <p className="error-box">Could not load sweeps: {describeError(sweeps.error)}</p>}
      {sweeps.isPending && <p className="muted">Loading sweeps…</p>}
      {sweeps.isSuccess && rows.length === 0 && (
        <p className="empty">No sweeps {project ? `in ${project} ` : ''}yet. {canCreate ? 'Start one with "New sweep", or with hz sweep create -f spec.yaml.' : ''}</p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Sweeps">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Method</th>
                <th>Progress</th>
                <th className="num">Best value</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} data-sweep-id={s.id}>
                  <td>
                    <Link className="run-link" href={`${base}/${s.id}`}>
                      {s.name}
                    </Link>
                    <div className="sub">{s.projectSlug}</div>
                  </td>
                  <td>
                    <SweepStatusBadge status={s.status} />
                  </td>
                  <td>{s.method}</td>
                  <td>
                    <SweepProgress counts={s.counts} />
                  </td>
                  <td className="num">{formatMetric(s.best?.value)}</td>
                  <td className="nowrap">{formatDateTime(s.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sweeps.hasNextPage && (
        <button className="button" type="button" onClick={() => void sweeps.fetchNextPage()} disabled={sweeps.isFetchingNextPage}>
          {sweeps.isFetchingNextPage ? 'Loading…' : 'Load older sweeps'}
        </button>
      )}
    </section>
  );
}
