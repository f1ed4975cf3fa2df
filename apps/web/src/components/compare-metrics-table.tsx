import Link from 'next/link';

import type { TRunAnalysis } from '@hyperzoo/analysis';
import type { TRunStatus } from '@hyperzoo/schemas';

import { StatusBadge } from '@/components/status-badge';
import { formatMetric, formatPercent } from '@/lib/format';
import { seriesColor } from '@/lib/palette';

interface TCompared {
  id: string;
  name: string;
  status: TRunStatus;
  architecture: string;
}
/** A run of analysis.runs: its per-epoch tables are left out there. */
interface TAnalyzed {
  run: { id: string; paramCount: number | null };
  analysis: Pick<TRunAnalysis, 'epochsRecorded' | 'bestEpoch' | 'bestValAccuracy' | 'gapAtBest' | 'onsetEpoch'>;
}

/** One row per run: the overfitting numbers of analysis.runs, in the order of the comparison. */
export function CompareMetricsTable({ runs, analysis, teamSlug }: { runs: readonly TCompared[]; analysis: readonly TAnalyzed[]; teamSlug: string }) {
  const byId = new Map(analysis.map((a) => [a.run.id, a]));
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Compared metrics">
        <thead>
          <tr>
            <th>Run</th>
            <th>Architecture</th>
            <th>Status</th>
            <th className="num">Parameters</th>
            <th className="num">Epochs</th>
            <th className="num">Best epoch</th>
            <th className="num">Best val_accuracy</th>
            <th className="num">Loss gap at best</th>
            <th className="num">Accuracy gap at best</th>
            <th className="num">Onset</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r, i) => {
            const a = byId.get(r.id);
            return (
              <tr key={r.id} data-run-id={r.id}>
                <td>
                  <span className="swatch" style={{ background: seriesColor(i) }} />
                  <Link href={`/runs/${r.id}?team=${encodeURIComponent(teamSlug)}`}>{r.name}</Link>
                </td>
                <td>
                  <code>{r.architecture}</code>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className="num">{a?.run.paramCount?.toLocaleString('en-US') ?? '—'}</td>
                <td className="num">{a?.analysis.epochsRecorded ?? '—'}</td>
                <td className="num">{a?.analysis.bestEpoch ?? '—'}</td>
                <td className="num">{formatPercent(a?.analysis.bestValAccuracy)}</td>
                <td className="num">{formatMetric(a?.analysis.gapAtBest.loss)}</td>
                <td className="num">{formatPercent(a?.analysis.gapAtBest.accuracy)}</td>
                <td className="num">{a?.analysis.onsetEpoch ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
