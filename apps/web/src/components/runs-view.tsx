'use client';

import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback } from 'react';

import { useProjectParam } from '@/components/project-switcher';
import { RunsTable } from '@/components/runs-table';
import { describeError } from '@/lib/errors';
import { isActiveStatus } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

export function RunsView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projectSlug = useProjectParam();
  const listInput = { teamSlug, limit: 50, ...(projectSlug ? { projectSlug } : {}) };
  const runs = useInfiniteQuery(trpc.runs.list.infiniteQueryOptions(listInput, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  // A run of the team changed status (started, ended, new): reload the list. Epoch progress is not shown here.
  useSubscription(
    trpc.live.runs.subscriptionOptions(
      { teamSlug },
      { onData: (event) => void (event.data.type === 'status' && queryClient.invalidateQueries({ queryKey: trpc.runs.list.infiniteQueryKey(listInput) })) },
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
          <span className="live" title="live updates">
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
