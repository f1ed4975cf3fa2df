'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';

import { CompareMetricsTable } from '@/components/compare-metrics-table';
import { ConfigDiff } from '@/components/config-diff';
import { OverlayChart } from '@/components/overlay-chart';
import type { TSeries } from '@/components/overlay-chart';
import { describeError, getErrorCode } from '@/lib/errors';
import { formatMetric, formatPercent } from '@/lib/format';
import { seriesColor } from '@/lib/palette';
import { MAX_COMPARE_RUNS, parseRunIds } from '@/lib/run-ids';
import { useTRPC } from '@/trpc/react';

const METRICS = ['loss', 'val_loss', 'accuracy', 'val_accuracy'] as const;
const CHARTS: { metric: (typeof METRICS)[number]; title: string; format: (v: number) => string }[] = [
  { metric: 'loss', title: 'Training loss', format: (v) => formatMetric(v, 3) },
  { metric: 'val_loss', title: 'Validation loss', format: (v) => formatMetric(v, 3) },
  { metric: 'accuracy', title: 'Training accuracy', format: (v) => formatPercent(v, 1) },
  { metric: 'val_accuracy', title: 'Validation accuracy', format: (v) => formatPercent(v, 1) },
];

/** The API's columnar curve as the chart's points. */
function toPoints(curve: { epochs: number[]; values: number[] } | undefined): TSeries['points'] {
  return curve ? curve.epochs.map((epoch, i) => ({ epoch, value: curve.values[i] ?? null })) : [];
}

/** Runs side by side, chosen by ?runs=a,b,c (the runs table's "Compare" builds that link). */
export function CompareView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const requested = parseRunIds(useSearchParams().get('runs'));
  const runIds = requested.slice(0, MAX_COMPARE_RUNS);
  const enabled = runIds.length > 0;
  const compare = useQuery(trpc.runs.compare.queryOptions({ teamSlug, runIds, metrics: [...METRICS], maxPoints: 500 }, { enabled }));
  // The overfitting numbers of each run come from the API's analysis, not from these downsampled curves.
  const analysis = useQuery(trpc.analysis.runs.queryOptions({ teamSlug, runIds }, { enabled }));
  const runsHref = `/teams/${encodeURIComponent(teamSlug)}/runs`;

  if (!enabled) {
    return (
      <section>
        <h1>Compare runs</h1>
        <p className="empty">
          No runs chosen. Tick two or more runs in the <Link href={runsHref}>runs table</Link> and press Compare, or open a link with{' '}
          <code>?runs=id1,id2</code>.
        </p>
      </section>
    );
  }

  return (
    <section>
      <div className="page-title">
        <h1>Compare runs</h1>
        <span className="muted">{runIds.length} runs</span>
        <Link href={runsHref} className="push-right">
          Choose other runs
        </Link>
      </div>
      {requested.length > runIds.length && (
        <p className="error-box">
          Only the first {MAX_COMPARE_RUNS} of {requested.length} runs are compared.
        </p>
      )}
      {compare.isError && (
        <p className="error-box">
          {getErrorCode(compare.error) === 'NOT_FOUND' ? `Not found: ${describeError(compare.error)}.` : `Could not load the runs: ${describeError(compare.error)}`}
        </p>
      )}
      {compare.isPending && <p className="muted chart-placeholder">Loading curves…</p>}
      {compare.data && (
        <>
          <ul className="legend" aria-label="Runs compared">
            {compare.data.runs.map((r, i) => (
              <li key={r.id}>
                <span className="swatch" style={{ background: seriesColor(i) }} />
                <Link href={`/runs/${r.id}?team=${encodeURIComponent(teamSlug)}`}>{r.name}</Link>
              </li>
            ))}
          </ul>
          <div className="charts">
            {CHARTS.map((c) => {
              const series: TSeries[] = compare.data.runs.map((r) => ({ id: r.id, name: r.name, points: toPoints(r.curves[c.metric]) }));
              return <OverlayChart key={c.metric} title={c.title} series={series} format={c.format} />;
            })}
          </div>
          <h2>Metrics</h2>
          {analysis.isError && <p className="error-box">Could not load the analysis: {describeError(analysis.error)}</p>}
          {analysis.isPending && <p className="muted">Loading metrics…</p>}
          {analysis.data && <CompareMetricsTable runs={compare.data.runs} analysis={analysis.data.runs} teamSlug={teamSlug} />}
          <h2>Configuration</h2>
          <ConfigDiff runs={compare.data.runs} diff={compare.data.configDiff} />
        </>
      )}
    </section>
  );
}
