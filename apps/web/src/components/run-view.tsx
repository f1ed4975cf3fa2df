'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';

import { RunBody } from '@/components/run-body';
import { StatusBadge } from '@/components/status-badge';
import { describeError, getErrorCode } from '@/lib/errors';
import { isActiveStatus } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

const RUN_REFRESH_MS = 2_000;

export function RunView({ runId, teamSlug }: { runId: string; teamSlug: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(
    trpc.runs.get.queryOptions({ runId }, { refetchInterval: (q) => (q.state.data && isActiveStatus(q.state.data.status) ? RUN_REFRESH_MS : false) }),
  );
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) }) }),
  );
  const back = teamSlug ? `/teams/${teamSlug}/runs` : '/';

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
        {isActiveStatus(r.status) && <span className="live">live</span>}
        {isActiveStatus(r.status) && (
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
      <RunBody run={r} teamSlug={teamSlug} />
    </section>
  );
}
