'use client';

import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';

import { formatMetric, formatPercent } from '@/lib/format';
import type { TGapBand, TPatiencePoint } from '@/lib/group-curves';
import { seriesColor } from '@/lib/palette';

const HEIGHT = 300;
type TRow = Record<string, number | [number, number] | null> & { x: number };

/** Rows keyed by x with one column per group (named by its place in `keys`), for recharts. */
function mergeGroups<T>(
  keys: readonly string[],
  groups: Map<string, T[]>,
  x: (p: T) => number,
  columns: (p: T, i: number) => Record<string, number | [number, number] | null>,
): TRow[] {
  const rows = new Map<number, TRow>();
  keys.forEach((key, i) => {
    for (const p of groups.get(key) ?? []) rows.set(x(p), { ...(rows.get(x(p)) ?? { x: x(p) }), ...columns(p, i) });
  });
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/** Powers of ten around the values: a log axis with readable ticks. */
function decadeTicks(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [1, 10];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive))));
  return Array.from({ length: hi - lo + 1 }, (_, k) => 10 ** (lo + k));
}

/** A figure that keeps its size while its data loads. */
function Figure({ title, ready, children }: { title: string; ready: boolean; children: React.ReactElement }) {
  return (
    <figure className="chart" aria-label={title} aria-busy={!ready}>
      <figcaption>{title}</figcaption>
      {ready ? (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          {children}
        </ResponsiveContainer>
      ) : (
        <div className="chart-placeholder" style={{ height: HEIGHT }}>
          Loading…
        </div>
      )}
    </figure>
  );
}

/** Mean loss gap per group and epoch, with a band of one standard deviation over its runs. */
export function GapBandChart({ keys, groups }: { keys: readonly string[]; groups: Map<string, TGapBand[]> | null }) {
  const rows = groups ? mergeGroups(keys, groups, (p) => p.epoch, (p, i) => ({ [`m${i}`]: p.mean, [`b${i}`]: p.band })) : [];
  return (
    <Figure title="Loss gap (val_loss - loss) by epoch, mean ± sd" ready={groups !== null}>
      <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tickLine={false} name="epoch" />
        <YAxis tickLine={false} width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => formatMetric(v, 2)} />
        <ReferenceLine y={0} stroke="#9ca3af" />
        <Tooltip
          labelFormatter={(l) => `epoch ${Number(l)}`}
          formatter={(v) => (Array.isArray(v) ? v.map((x) => formatMetric(Number(x), 3)).join(' to ') : formatMetric(Number(v), 4))}
        />
        <Legend />
        {keys.map((k, i) => (
          <Area key={`b${k}`} dataKey={`b${i}`} name={`${k} ± sd`} stroke="none" fill={seriesColor(i)} fillOpacity={0.15} isAnimationActive={false} connectNulls legendType="none" />
        ))}
        {keys.map((k, i) => (
          <Line key={`m${k}`} dataKey={`m${i}`} name={k} stroke={seriesColor(i)} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls className={`gap-mean gap-mean-${k}`} />
        ))}
      </ComposedChart>
    </Figure>
  );
}

interface TScatterRun {
  key: string;
  run: { id: string; name: string; paramCount: number | null };
  analysis: { bestValAccuracy: number | null };
}

/** Parameter count against best validation accuracy, one dot per run, coloured by group. */
export function ParamsScatter({ keys, runs }: { keys: readonly string[]; runs: readonly TScatterRun[] }) {
  const ticks = decadeTicks(runs.flatMap((r) => (r.run.paramCount === null ? [] : [r.run.paramCount])));
  const points = (k: string) =>
    runs.flatMap((r) => (r.key === k && r.run.paramCount !== null && r.analysis.bestValAccuracy !== null ? [{ x: r.run.paramCount, y: r.analysis.bestValAccuracy, name: r.run.name }] : []));
  return (
    <Figure title="Parameters vs best val_accuracy" ready>
      <ScatterChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" scale="log" domain={[ticks[0] ?? 1, ticks.at(-1) ?? 10]} ticks={ticks} name="parameters" tickLine={false} tickFormatter={(v: number) => v.toLocaleString('en-US', { notation: 'compact' })} />
        <YAxis dataKey="y" type="number" name="best val_accuracy" width={56} domain={['auto', 'auto']} tickLine={false} tickFormatter={(v: number) => formatPercent(v, 1)} />
        <ZAxis range={[36, 36]} />
        <Tooltip formatter={(v, name) => (name === 'parameters' ? Number(v).toLocaleString('en-US') : formatPercent(Number(v)))} />
        <Legend />
        {keys.map((k, i) => (
          <Scatter key={k} name={k} data={points(k)} fill={seriesColor(i)} isAnimationActive={false} className={`scatter-${k}`} />
        ))}
      </ScatterChart>
    </Figure>
  );
}

/** Value kept (without and with restoring the best weights) and epochs saved, against patience. */
export function CounterfactualCharts({ keys, groups }: { keys: readonly string[]; groups: Map<string, TPatiencePoint[]> | null }) {
  const rows = groups
    ? mergeGroups(keys, groups, (p) => p.patience, (p, i) => ({ [`last${i}`]: p.valueLast, [`restored${i}`]: p.valueRestored, [`saved${i}`]: p.epochsSaved }))
    : [];
  const axis = <XAxis dataKey="x" type="number" domain={[0, 'dataMax']} allowDecimals={false} tickLine={false} name="patience" />;
  return (
    <div className="charts">
      <Figure title="Monitored value kept vs patience" ready={groups !== null}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          {axis}
          <YAxis tickLine={false} width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => formatMetric(v, 3)} />
          <Tooltip labelFormatter={(l) => `patience ${Number(l)}`} formatter={(v) => formatMetric(Number(v), 4)} />
          <Legend />
          {keys.flatMap((k, i) => [
            <Line key={`last${k}`} dataKey={`last${i}`} name={`${k} (last epoch)`} stroke={seriesColor(i)} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />,
            <Line key={`restored${k}`} dataKey={`restored${i}`} name={`${k} (best restored)`} stroke={seriesColor(i)} strokeDasharray="5 3" dot={false} isAnimationActive={false} connectNulls />,
          ])}
        </LineChart>
      </Figure>
      <Figure title="Epochs saved vs patience" ready={groups !== null}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          {axis}
          <YAxis tickLine={false} width={56} allowDecimals={false} />
          <Tooltip labelFormatter={(l) => `patience ${Number(l)}`} formatter={(v) => Number(v).toFixed(1)} />
          <Legend />
          {keys.map((k, i) => (
            <Line key={k} dataKey={`saved${i}`} name={k} stroke={seriesColor(i)} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls className={`saved-${k}`} />
          ))}
        </LineChart>
      </Figure>
    </div>
  );
}
