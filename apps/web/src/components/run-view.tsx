'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useState } from 'react';

import type { TRunDetail } from '@hyperzoo/schemas';

import { EpochCharts } from '@/components/epoch-charts';
import { EpochTable } from '@/components/epoch-table';
import { StatusBadge } from '@/components/status-badge';
import { describeError, getErrorCode } from '@/lib/errors';
import { formatDateTime, formatDuration, formatLearningRate, formatMetric, formatPercent, isActiveStatus } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

export function RunView({ runId, teamSlug }: { runId: string; teamSlug: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(trpc.runs.get.queryOptions({ runId }));
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
        {isActiveStatus(r.status) && <LiveRun run={r} />}
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
      <RunFacts run={r} />
      <h2>Training curves</h2>
      {r.epochs.length > 0 ? <EpochCharts epochs={r.epochs} /> : <p className="empty">No epochs recorded yet.</p>}
      <h2>Epochs</h2>
      {r.epochs.length > 0 && <EpochTable epochs={r.epochs} bestEpoch={r.bestEpoch} stoppedEpoch={r.stoppedEpoch} />}
      <h2>Configuration</h2>
      <ConfigSummary run={r} />
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

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="fact">
      <div className="fact-label">{label}</div>
      <div className="fact-value">{value}</div>
    </div>
  );
}

function RunFacts({ run: r }: { run: TRunDetail }) {
  const elapsed = r.startedAt ? (r.finishedAt ?? new Date()).getTime() - r.startedAt.getTime() : null;
  return (
    <div className="facts">
      <Fact label="Test accuracy" value={formatPercent(r.testAccuracy)} />
      <Fact label="Test loss" value={formatMetric(r.testLoss)} />
      <Fact label="Best epoch" value={r.bestEpoch ?? '—'} />
      <Fact label="Stopped at" value={r.stoppedEpoch ?? '—'} />
      <Fact label="Epochs" value={`${r.epochs.length} / ${r.config.epochs}`} />
      <Fact label="Parameters" value={r.paramCount?.toLocaleString('en-US') ?? '—'} />
      <Fact label="Backend" value={[r.backend, r.device].filter(Boolean).join(' · ') || '—'} />
      <Fact label="Attempt" value={r.attempt} />
      <Fact label="Created" value={formatDateTime(r.createdAt)} />
      <Fact label="Wall time" value={formatDuration(elapsed)} />
    </div>
  );
}

/** The options of the run's own architecture (libs/schemas ARCHITECTURE_OPTIONS). */
function architectureEntries(c: TRunDetail['config']): [string, string][] {
  const entries: [string, string][] = [];
  if ('activation' in c) entries.push(['Activation', 'denseActivation' in c ? `${c.activation} (dense ${c.denseActivation})` : c.activation]);
  entries.push(['Dropout', String(c.dropout)]);
  if ('width' in c) entries.push(['Width', String(c.width)]);
  if ('depth' in c) entries.push(['Depth', c.depth.join(', ')]);
  if ('stem' in c) entries.push(['Stem', c.stem]);
  if (c.architecture === 'transfer') entries.push(['Backbone', c.transfer.fromRunId ? `run ${c.transfer.fromRunId}` : (c.transfer.modelUrl ?? '—')]);
  return entries;
}

function ConfigSummary({ run: r }: { run: TRunDetail }) {
  const c = r.config;
  const es = c.earlyStopping;
  const entries: [string, string][] = [
    ['Architecture', c.architecture],
    ['Data set', `${c.data.dataset}${c.data.subsetPerClass ? `, ${c.data.subsetPerClass} per class` : ''}`],
    ['Validation', c.data.validationSize < 1 ? formatPercent(c.data.validationSize, 0) : `${c.data.validationSize} images`],
    ['Test set', c.data.testPerClass ? `${c.data.testPerClass} per class` : 'whole test split'],
    ['Input', c.data.inputSize ? `${c.data.inputSize}×${c.data.inputSize}` : 'native size'],
    ['Epochs', String(c.epochs)],
    ['Batch size', String(c.batchSize)],
    ['Optimizer', `${c.optimizer.name}, lr ${formatLearningRate(c.optimizer.learningRate)}${c.optimizer.momentum ? `, momentum ${c.optimizer.momentum}` : ''}`],
    ...architectureEntries(c),
    ['Early stopping', es ? `${es.monitor}, patience ${es.patience}, min Δ ${es.minDelta}${es.restoreBestWeights ? ', restore best' : ''}` : 'off'],
    ['Seed', String(c.seed)],
    ['Resource class', r.resourceClass],
    ['Project', r.projectSlug],
  ];
  return (
    <dl className="config">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
