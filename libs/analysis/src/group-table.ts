import type { TGroupSummary } from './groups';
import type { TStat } from './stats';

const meanSd = (s: TStat, digits: number) => (s.mean === null ? '-' : `${s.mean.toFixed(digits)}${s.sd === null ? '' : ` +- ${s.sd.toFixed(digits)}`}`);

/**
 * `hz analyze`'s table, one line per group: best val accuracy and the loss gap at the best epoch
 * as mean +- sd, the onset (mean, and how many runs overfit), the patience that keeps 99% of the
 * best value in every run and the epochs it saves per run on average.
 */
export function formatGroupTable(groups: readonly TGroupSummary[], keyName = 'architecture'): string {
  const header = [keyName, 'runs', 'params', 'best val_accuracy', 'gap at best', 'onset (runs)', 'patience 99%', 'epochs saved'];
  const rows = groups.map((g) => [
    g.key,
    String(g.runs),
    g.paramCount.mean === null ? '-' : Math.round(g.paramCount.mean).toLocaleString('en-US'),
    meanSd(g.bestValAccuracy, 4),
    meanSd(g.lossGapAtBest, 4),
    g.onsetEpoch.mean === null ? `- (0/${g.runs})` : `${g.onsetEpoch.mean.toFixed(1)} (${g.onsetEpoch.count}/${g.runs})`,
    g.keep99.patience === null ? '-' : String(g.keep99.patience),
    g.keep99.epochsSaved.mean === null ? '-' : g.keep99.epochsSaved.mean.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
