'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useState } from 'react';

import type { TRunDetail } from '@hyperzoo/schemas';

import { RunBody } from '@/components/run-body';
import { StatusBadge } from '@/components/status-badge';
import { describeError, getErrorCode } from '@/lib/errors';
import { isActiveStatus } from '@/lib/format';
import { useIsMemberOf } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

export function RunView({ runId, teamSlug }: { runId: string; teamSlug: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(trpc.runs.get.queryOptions({ runId }));
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) }) }),
  );
  const back = teamSlug ? `/teams/${teamSlug}/runs` : '/';
  const isMember = useIsMemberOf(teamSlug);

  if (run.isError) {
    const missing = getErrorCode(run.error) === 'NOT_FOUND' || getErrorCode(run.error) === 'BAD_REQUEST';
    return (
      <section>
        <Link href={back} className="back">
          ← Runs
        </Link>
        <p className="error-box">{missing ? `Run ${runId} was not found.` : `Could not load the run: ${describeError(run.error)}`}</p>
      </section>
    );
  }
  if (!run.data) return <p className="muted">Loading run…</p>;
  const r = run.data;

  return (
    <section>
      <Link href={back} className="back">
        ← Runs
      </Link>
      <div className="page-title">
        <h1>{r.name}</h1>
        <StatusBadge status={r.status} />
        {isActiveStatus(r.status) && <LiveRun run={r} />}
        {isActiveStatus(r.status) && isMember && (
          <button className="button button-danger push-right" type="button" onClick={() => cancel.mutate({ runId })} disabled={cancel.isPending}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {cancel.isError && <p className="error-box">Could not cancel: {describeError(cancel.error)}</p>}
      {r.error && (
        <pre className="error-box" aria-label="Run error">
          {r.error}
        </pre>
      )}
      <RunBody run={r} teamSlug={teamSlug} isMember={isMember} />
    </section>
  );
}

/**
 * Follows a run while it can change: a new epoch or status from the worker reloads the run. It
 * subscribes from where the loaded data ends (attempt:epoch), so epochs that landed in between
 * are replayed, and the badge says "live" once the stream is open.
 */
function LiveRun({ run }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = trpc.runs.get.queryKey({ runId: run.id });
  const [lastEventId] = useState(() => `${run.attempt}:${run.epochs.at(-1)?.epoch ?? 0}`);
  const live = useSubscription(
    trpc.live.run.subscriptionOptions(
      { runId: run.id, lastEventId },
      {
        onData: ({ data: event }) => {
          const known = queryClient.getQueryData(queryKey);
          const isNews =
            event.type === 'epoch'
              ? event.attempt !== known?.attempt || !known.epochs.some((e) => e.epoch === event.metric.epoch)
              : event.status !== known?.status || event.attempt !== known.attempt;
          if (isNews) void queryClient.invalidateQueries({ queryKey });
        },
      },
    ),
  );
  return live.status === 'pending' ? <span className="live">live</span> : <span className="muted">connecting…</span>;
}

