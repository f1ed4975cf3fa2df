'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';

import { isTerminalStatus } from '@hyperzoo/schemas';

import { ImportancePanel } from '@/components/sweeps/importance-panel';
import { ParallelCoordinates } from '@/components/sweeps/parallel-coordinates';
import type { THighlightRun } from '@/components/sweeps/parallel-coordinates';
import { SweepControls } from '@/components/sweeps/sweep-controls';
import { SweepProgress, SweepStatusBadge } from '@/components/sweeps/sweep-progress';
import { SweepRunsTable } from '@/components/sweeps/sweep-runs-table';
import { describeError, getErrorCode } from '@/lib/errors';
import { formatDateTime, formatMetric } from '@/lib/format';
import { showParam, varyingParamKeys } from '@/lib/sweep-params';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

/** Many runs ending at once make one reload, not one each. */
const RELOAD_AFTER_MS = 500;

/**
 * A sweep: live counts (live.sweep over SSE, no polling), its runs, parallel coordinates,
 * parameter importance (analysis.sweep), best runs (sweeps.summary) and the controls.
 */
export function SweepView({ teamSlug, sweepId }: { teamSlug: string; sweepId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { role } = useTeamRole(teamSlug);
  const canControl = role !== undefined && role !== 'viewer';
  const sweep = useQuery(trpc.sweeps.get.queryOptions({ sweepId }));
  // Summary and importance fit models over every finished run (seconds for 500 runs): asked for once
  // the sweep is here, so they travel in their own request and never hold up the runs in one batch.
  const summary = useQuery(trpc.sweeps.summary.queryOptions({ sweepId }, { enabled: sweep.isSuccess }));
  const analysis = useQuery(trpc.analysis.sweep.queryOptions({ sweepId }, { enabled: sweep.isSuccess }));
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const highlight = useRef<(runId: string | null) => void>(() => undefined) as THighlightRun;

  function reload() {
    void queryClient.invalidateQueries({ queryKey: trpc.sweeps.get.queryKey({ sweepId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.sweeps.summary.queryKey({ sweepId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.analysis.sweep.queryKey({ sweepId }) });
  }
  function scheduleReload() {
    reloadTimer.current ??= setTimeout(() => {
      reloadTimer.current = null;
      reload();
    }, RELOAD_AFTER_MS);
  }
  useEffect(
    () => () => {
      if (reloadTimer.current) clearTimeout(reloadTimer.current);
    },
    [],
  );

  const live = useSubscription(
    trpc.live.sweep.subscriptionOptions(
      { sweepId },
      {
        enabled: sweep.isSuccess,
        onData: ({ data: event }) => {
          const key = trpc.sweeps.get.queryKey({ sweepId });
          if (event.type === 'progress') {
            // An epoch ended: the row's epoch count moves at once; its best value comes with the next reload.
            queryClient.setQueryData(key, (old) => old && { ...old, runs: old.runs.map((r) => (r.id === event.runId ? { ...r, epochs: Math.max(r.epochs, event.epoch) } : r)) });
            return;
          }
          const known = queryClient.getQueryData(key)?.runs.find((r) => r.id === event.runId);
          // A run's end is announced after the API has started the sweep's next run or closed the sweep; a reload
          // between the run's own write and that one already shows the run ended, so an end always reloads.
          if (known?.status !== event.status || isTerminalStatus(event.status)) scheduleReload();
        },
      },
    ),
  );

  if (sweep.isPending) return <p className="muted">Loading the sweep…</p>;
  if (sweep.isError) {
    return getErrorCode(sweep.error) === 'NOT_FOUND' ? (
      <section>
        <h1>Sweep not found</h1>
        <p className="empty">There is no such sweep in your teams.</p>
      </section>
    ) : (
      <p className="error-box">Could not load the sweep: {describeError(sweep.error)}</p>
    );
  }
  const s = sweep.data;
  const isLive = s.status === 'running' || s.status === 'paused';
  const importance = analysis.data?.importance ?? [];
  const bestRuns = summary.data?.bestRuns ?? [];
  // Only what tells the best runs apart; the shared values are in the runs table.
  const varying = varyingParamKeys(s.runs);

  return (
    <section className="sweep-page">
      <Link className="back" href={`/teams/${encodeURIComponent(teamSlug)}/sweeps?project=${encodeURIComponent(s.projectSlug)}`}>
        ← Sweeps of {s.projectSlug}
      </Link>
      <div className="page-title">
        <h1>{s.name}</h1>
        <SweepStatusBadge status={s.status} />
        <span className="muted">
          {s.method} · {s.metric.name} ({s.metric.goal}) · created {formatDateTime(s.createdAt)}
        </span>
        {isLive && (
          <span className="live" title={live.status === 'pending' ? 'live updates' : `live updates: ${live.status}`}>
            live
          </span>
        )}
        <Link href={`/teams/${encodeURIComponent(teamSlug)}/overfitting?sweep=${encodeURIComponent(sweepId)}`}>Overfitting view</Link>
        {canControl && (
          <div className="push-right">
            <SweepControls sweepId={sweepId} status={s.status} counts={s.counts} onChanged={reload} />
          </div>
        )}
      </div>

      <SweepProgress counts={s.counts} total={s.maxRuns} />

      <section aria-label="Best runs" className="best-runs">
        <h2>Best runs</h2>
        {summary.isError && <p className="error-box">Could not load the summary: {describeError(summary.error)}</p>}
        {summary.isPending && <p className="muted">Loading…</p>}
        {summary.isSuccess && bestRuns.length === 0 && <p className="empty">No run has a {s.metric.name} yet.</p>}
        {bestRuns.length > 0 && (
          <ol className="best-list">
            {bestRuns.slice(0, 5).map((b) => (
              <li key={b.runId}>
                <Link href={`/runs/${b.runId}?team=${encodeURIComponent(teamSlug)}`}>
                  <strong>{formatMetric(b.value)}</strong> {b.architecture}
                </Link>
                <span className="sub">
                  {' '}
                  epoch {b.epoch ?? '—'}
                  {Object.entries(b.params)
                    .filter(([k]) => varying.has(k))
                    .map(([k, v], i) => `${i === 0 ? ' · ' : ', '}${k}=${showParam(v)}`)
                    .join('')}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <ParallelCoordinates runs={s.runs} metricName={s.metric.name} goal={s.metric.goal} highlight={highlight} />

      <h2>Runs</h2>
      {s.runs.length === 0 ? (
        <p className="empty">No runs yet{s.status === 'paused' ? ': the sweep is paused.' : '.'}</p>
      ) : (
        <SweepRunsTable runs={s.runs} teamSlug={teamSlug} metricName={s.metric.name} goal={s.metric.goal} onHoverRun={(id) => highlight.current(id)} />
      )}

      {analysis.isError && <p className="error-box">Could not load the importance: {describeError(analysis.error)}</p>}
      {analysis.isPending && <p className="muted">Loading the importance…</p>}
      {analysis.isSuccess && <ImportancePanel key={importance.map((i) => i.architecture).join()} importance={importance} metricName={s.metric.name} />}
    </section>
  );
}
