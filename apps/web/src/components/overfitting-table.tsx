import type { TGroupSummary, TStat } from '@hyperzoo/analysis';

import { formatMetric, formatPercent } from '@/lib/format';
import { seriesColor } from '@/lib/palette';

/** "mean ± sd" (sd only from two runs on). */
function stat(s: TStat, format: (v: number) => string): string {
  if (s.mean === null) return '—';
  return s.sd === null ? format(s.mean) : `${format(s.mean)} ± ${format(s.sd)}`;
}
const epochs = (v: number) => v.toFixed(1);
const params = (v: number) => Math.round(v).toLocaleString('en-US');

/** analysis.project's groups, as `hz analyze` reads them: ordered by model size. */
export function GroupTable({ groups }: { groups: readonly TGroupSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-nowrap" aria-label="Groups">
        <thead>
          <tr>
            <th>Group</th>
            <th className="num">Runs</th>
            <th className="num">Parameters</th>
            <th className="num">Best val_accuracy</th>
            <th className="num">Best epoch</th>
            <th className="num">Loss gap at best</th>
            <th className="num">Accuracy gap at best</th>
            <th className="num">Onset epoch (runs that overfit)</th>
            <th className="num">Patience keeping 99% (epochs saved)</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g, i) => (
            <tr key={g.key} data-group={g.key}>
              <th scope="row">
                <span className="swatch" style={{ background: seriesColor(i) }} />
                <code>{g.key}</code>
              </th>
              <td className="num">{g.runs}</td>
              <td className="num">{stat(g.paramCount, params)}</td>
              <td className="num">{stat(g.bestValAccuracy, (v) => formatPercent(v))}</td>
              <td className="num">{stat(g.bestEpoch, epochs)}</td>
              <td className="num">{stat(g.lossGapAtBest, (v) => formatMetric(v))}</td>
              <td className="num">{stat(g.accuracyGapAtBest, (v) => formatPercent(v))}</td>
              <td className="num">
                {stat(g.onsetEpoch, epochs)} ({g.onsetEpoch.count} of {g.runs})
              </td>
              <td className="num">{g.keep99.patience === null ? '—' : `${g.keep99.patience} (${stat(g.keep99.epochsSaved, epochs)})`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
