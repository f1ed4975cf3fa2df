import { formatGroupTable } from '@hyperzoo/analysis';
import type { HyperzooClient } from '@hyperzoo/client';

type TSweepAnalysis = Awaited<ReturnType<HyperzooClient['analysis']['sweep']['query']>>;

const MEASURE_NAMES: Record<TSweepAnalysis['importance'][number]['measure'], (metric: string) => string> = {
  metric: (metric) => metric,
  lossGapAtBest: () => 'loss gap at best',
  onsetEpoch: () => 'onset epoch',
};

/** `hz analyze <sweep-id>`: the per-architecture table, then the parameters ranked by importance on each measure. */
export function formatSweepAnalysis(a: TSweepAnalysis): string {
  const importance = a.importance.map((i) => {
    const ranked = i.ranking.length ? i.ranking.map((r) => `${r.key} ${r.importance.toFixed(2)}`).join(', ') : 'no parameter varies';
    return `  ${MEASURE_NAMES[i.measure](a.sweep.metric.name)}, ${i.architecture ?? 'all architectures'} (${i.trials} configurations): ${ranked}`;
  });
  return [
    `sweep ${a.sweep.name} (${a.sweep.id}): ${a.runs.length} runs analysed, metric ${a.sweep.metric.name} (${a.sweep.metric.goal})`,
    a.groups.length ? formatGroupTable(a.groups) : 'no finished runs yet',
    'parameter importance (fANOVA, share of the variance):',
    ...importance,
  ].join('\n');
}
