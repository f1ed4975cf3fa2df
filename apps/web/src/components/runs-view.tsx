'use client';

import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';

import type { TRunSummary } from '@hyperzoo/schemas';

import { StatusBadge } from '@/components/status-badge';
import { describeError } from '@/lib/errors';
import { formatDateTime, formatPercent, isActiveStatus } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

export function RunsView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useInfiniteQuery(trpc.runs.list.infiniteQueryOptions({ teamSlug, limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  // A run of the team changed status (started, ended, new): reload the list. Epoch progress is not shown here.
  useSubscription(
    trpc.live.runs.subscriptionOptions(
      { teamSlug },
      { onData: (event) => void (event.data.type === 'status' && queryClient.invalidateQueries({ queryKey: trpc.runs.list.infiniteQueryKey({ teamSlug, limit: 50 }) })) },
    ),
  );
  const team = useQuery(trpc.auth.me.queryOptions()).data?.teams.find((t) => t.slug === teamSlug);
  const rows = runs.data?.pages.flatMap((p) => p.runs) ?? [];
  const active = rows.filter((r) => isActiveStatus(r.status)).length;

  return (
    <section>
      <div className="page-title">
        <h1>Runs</h1>
        <span className="muted">{team?.name ?? teamSlug}</span>
        {active > 0 && (
          <span className="live" title="live updates">
            {active} active · live
          </span>
        )}
      </div>
      {runs.isError && <p className="error-box">Could not load runs: {describeError(runs.error)}</p>}
      {runs.isPending && <p className="muted">Loading runs…</p>}
      {runs.isSuccess && rows.length === 0 && <p className="empty">No runs yet in this team. Runs queued through the API or the CLI show up here.</p>}
      {rows.length > 0 && <RunsTable runs={rows} teamSlug={teamSlug} />}
      {runs.hasNextPage && (
        <button className="button" type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {runs.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
        </button>
      )}
    </section>
  );
}

function RunsTable({ runs, teamSlug }: { runs: TRunSummary[]; teamSlug: string }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Runs">
        <thead>
          <tr>
            <th>Name</th>
            <th>Architecture</th>
            <th>Status</th>
            <th className="num">Attempt</th>
            <th className="num">Best epoch</th>
            <th className="num">Test accuracy</th>
            <th>Backend</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-run-id={r.id}>
              <td>
                <Link href={`/runs/${r.id}?team=${encodeURIComponent(teamSlug)}`} className="run-link">
                  {r.name}
                </Link>
                <div className="sub">
                  {r.projectSlug} · {r.dataset}
                </div>
              </td>
              <td>
                <code>{r.architecture}</code>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td className="num">{r.attempt}</td>
              <td className="num">{r.bestEpoch ?? '—'}</td>
              <td className="num">{formatPercent(r.testAccuracy)}</td>
              <td>{r.backend ?? '—'}</td>
              <td className="nowrap">{formatDateTime(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
