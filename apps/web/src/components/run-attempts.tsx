'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';

import type { TRunDetail } from '@hyperzoo/schemas';

import { describeError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

const OUTCOME_BADGE: Record<string, string> = {
  succeeded: 'badge-succeeded',
  failed: 'badge-failed',
  diverged: 'badge-failed',
  lost: 'badge-failed',
  cancelled: 'badge-cancelled',
  pruned: 'badge-cancelled',
  released: 'badge-queued',
};

/** Each start of the run on a worker (runs.attempts); reloads when the run's attempt or status changes (live). */
export function RunAttempts({ run }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const attempts = useQuery(trpc.runs.attempts.queryOptions({ runId: run.id }));
  const { refetch } = attempts;
  useEffect(() => {
    void refetch();
  }, [run.attempt, run.status, refetch]);

  if (attempts.isError) return <p className="error-box">Could not load the attempts: {describeError(attempts.error)}</p>;
  if (attempts.isPending) return <p className="muted">Loading attempts…</p>;
  if (attempts.data.length === 0) {
    return <p className="empty">{run.attempt === 0 ? 'Not started yet.' : 'No attempt history recorded for this run (logged from a script, or older than the history).'}</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Attempts">
        <thead>
          <tr>
            <th>#</th>
            <th>Worker</th>
            <th>Backend</th>
            <th>Device</th>
            <th>Started</th>
            <th>Ended</th>
            <th>Outcome</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {attempts.data.map((a) => (
            <tr key={a.attempt} data-attempt={a.attempt}>
              <td>{a.attempt}</td>
              <td>{a.workerName ?? '—'}</td>
              <td>{a.backend}</td>
              <td>{a.device}</td>
              <td className="nowrap">{formatDateTime(a.startedAt)}</td>
              <td className="nowrap">{formatDateTime(a.endedAt)}</td>
              <td>{a.outcome ? <span className={`badge ${OUTCOME_BADGE[a.outcome] ?? ''}`}>{a.outcome}</span> : <span className="badge badge-running">running</span>}</td>
              <td className="attempt-error">{a.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
