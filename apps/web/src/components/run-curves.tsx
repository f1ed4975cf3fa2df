'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import type { TRunDetail } from '@hyperzoo/schemas';

import type { TEpochMarker } from '@/components/chart-markers';
import { EpochCharts } from '@/components/epoch-charts';
import { describeError } from '@/lib/errors';
import { formatMetric, formatPercent } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

/** The analysis options that reproduce the run's own early stopping (its monitor, mode, min_delta...) over the whole recorded curve. */
function analysisOptions(r: TRunDetail) {
  const es = r.config.earlyStopping;
  return es ? { ...es, patience: null } : {};
}

/**
 * A run's curves with its generalization gap, and markers at the best epoch, the overfitting onset
 * (both from analysis.run, libs/analysis) and the epoch early stopping fired (as the trainer recorded it).
 */
export function RunCurves({ run: r }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const analysis = useQuery(trpc.analysis.run.queryOptions({ runId: r.id, options: analysisOptions(r) }));
  const { refetch } = analysis;
  const epochCount = r.epochs.length;
  const seenEpochs = useRef(epochCount);
  // A new epoch (live run) changes the gaps: fetch them again then, and only then.
  useEffect(() => {
    if (seenEpochs.current === epochCount) return;
    seenEpochs.current = epochCount;
    void refetch();
  }, [epochCount, refetch]);

  const a = analysis.data?.analysis;
  const markers: TEpochMarker[] = [];
  // The onset is the best epoch when the training loss kept falling after it: one marker says both.
  const overfits = a?.onsetEpoch !== null && a?.onsetEpoch === a?.bestEpoch;
  if (a?.bestEpoch) markers.push({ kind: 'best', epoch: a.bestEpoch, label: `best ${a.bestEpoch}${overfits ? ', onset' : ''}`, color: '#16a34a' });
  if (a?.onsetEpoch && a.onsetEpoch !== a.bestEpoch) markers.push({ kind: 'onset', epoch: a.onsetEpoch, label: `onset ${a.onsetEpoch}`, color: '#d97706' });
  if (r.stoppedEpoch) markers.push({ kind: 'stopped', epoch: r.stoppedEpoch, label: `stopped ${r.stoppedEpoch}`, color: '#dc2626' });

  return (
    <>
      <EpochCharts epochs={r.epochs} markers={markers} gaps={a?.gaps ?? null} />
      {analysis.isError && <p className="error-box">Could not load the overfitting analysis: {describeError(analysis.error)}</p>}
      <dl className="facts facts-inline" aria-label="Overfitting">
        <OverfitFact label={`Best epoch (${a?.monitor ?? 'val_loss'})`} value={a ? (a.bestEpoch ?? '—') : '…'} />
        <OverfitFact label="Best val_accuracy" value={a ? formatPercent(a.bestValAccuracy) : '…'} />
        <OverfitFact label="Loss gap at best" value={a ? formatMetric(a.gapAtBest.loss) : '…'} />
        <OverfitFact label="Accuracy gap at best" value={a ? formatPercent(a.gapAtBest.accuracy) : '…'} />
        <OverfitFact label="Overfitting onset" value={a ? (a.onsetEpoch ?? 'none') : '…'} />
        <OverfitFact label="Patience keeping 99%" value={a ? (a.keep99 ? `${a.keep99.patience} (saves ${a.keep99.epochsSaved} epochs)` : '—') : '…'} />
      </dl>
    </>
  );
}

function OverfitFact({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="fact">
      <dt className="fact-label">{label}</dt>
      <dd className="fact-value">{value}</dd>
    </div>
  );
}
