'use client';

import { useQuery } from '@tanstack/react-query';

import type { TRunDetail } from '@hyperzoo/schemas';

import { formatDateTime, formatDuration, formatLearningRate, formatMetric, formatPercent, isActiveStatus } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="fact">
      <div className="fact-label">{label}</div>
      <div className="fact-value">{value}</div>
    </div>
  );
}

export function RunFacts({ run: r }: { run: TRunDetail }) {
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

export function RunConfigSummary({ run: r }: { run: TRunDetail }) {
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
  return <FactList label="Configuration" entries={entries} />;
}

/**
 * Where the run trained now or last. The worker is known while it runs (the team's workers report
 * their current runs); every attempt's worker, backend and device are in RunAttempts.
 */
export function RunSystem({ run: r, teamSlug }: { run: TRunDetail; teamSlug: string | null }) {
  const trpc = useTRPC();
  const active = isActiveStatus(r.status) && teamSlug !== null;
  const workers = useQuery(trpc.worker.list.queryOptions({ teamSlug: teamSlug ?? '' }, { enabled: active }));
  const worker = active ? workers.data?.find((w) => w.currentRuns.includes(r.id)) : undefined;
  const entries: [string, string][] = [
    ['Worker', worker ? `${worker.name} (${worker.hostname})` : active && workers.isPending ? '…' : '—'],
    ['Backend', r.backend ?? '—'],
    ['Device', r.device ?? '—'],
    ['Resource class', r.resourceClass],
    ['Attempts', r.attempt > 1 ? `${r.attempt} (the run was restarted ${r.attempt - 1}×, resuming from its last checkpoint)` : String(r.attempt)],
    ['Started', formatDateTime(r.startedAt)],
    ['Finished', formatDateTime(r.finishedAt)],
  ];
  return <FactList label="System" entries={entries} />;
}

function FactList({ label, entries }: { label: string; entries: [string, string][] }) {
  return (
    <dl className="config" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
