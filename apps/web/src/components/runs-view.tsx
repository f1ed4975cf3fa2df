'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';

import { RunsTable } from '@/components/runs-table';
import { describeError } from '@/lib/errors';
import { isActiveStatus } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

const RUNS_REFRESH_MS = 3_000;

export function RunsView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
      { teamSlug, limit: 50 },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        // Poll only while something can still change.
        refetchInterval: (q) => (q.state.data?.pages.some((p) => p.runs.some((r) => isActiveStatus(r.status))) ? RUNS_REFRESH_MS : false),
      },
    ),
  );
  const team = useQuery(trpc.auth.me.queryOptions()).data?.teams.find((t) => t.slug === teamSlug);
  const rows = runs.data?.pages.flatMap((p) => p.runs) ?? [];
  const active = rows.filter((r) => isActiveStatus(r.status)).length;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = runs;
  // Scrolling to the end of the table loads older runs, as the button below does.
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <section>
      <div className="page-title">
        <h1>Runs</h1>
        <span className="muted">{team?.name ?? teamSlug}</span>
        {active > 0 && (
          <span className="live" title={`refreshing every ${RUNS_REFRESH_MS / 1000} s`}>
            {active} active · live
          </span>
        )}
      </div>
      {runs.isError && <p className="error-box">Could not load runs: {describeError(runs.error)}</p>}
      {runs.isPending && <p className="muted">Loading runs…</p>}
      {runs.isSuccess && rows.length === 0 && <p className="empty">No runs yet in this team. Runs queued through the API or the CLI show up here.</p>}
      {rows.length > 0 && <RunsTable runs={rows} teamSlug={teamSlug} onReachEnd={loadMore} />}
      {runs.hasNextPage && (
        <button className="button" type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {runs.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
        </button>
      )}
    </section>
  );
}
