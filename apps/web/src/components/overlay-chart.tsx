'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { seriesColor } from '@/lib/palette';

/** One curve of an overlay: (epoch, value) points; epochs need not match between series. */
export interface TSeries {
  id: string;
  name: string;
  points: readonly { epoch: number; value: number | null }[];
}

interface TProps {
  title: string;
  series: readonly TSeries[];
  format: (v: number) => string;
  height?: number;
  /** Vertical markers (best epoch, early stop...). */
  markers?: readonly { epoch: number; label: string; color: string }[];
  /** A horizontal reference line, e.g. 0 for a gap. */
  zero?: boolean;
}

type TRow = Record<string, number | null> & { epoch: number };

/** The series merged into one row per epoch (keys s0, s1, ... so ids never become property paths). */
function mergeByEpoch(series: readonly TSeries[]): TRow[] {
  const rows = new Map<number, TRow>();
  series.forEach((s, i) => {
    for (const p of s.points) {
      const row = rows.get(p.epoch) ?? { epoch: p.epoch };
      row[`s${i}`] = p.value;
      rows.set(p.epoch, row);
    }
  });
  return [...rows.values()].sort((a, b) => a.epoch - b.epoch);
}

/**
 * Several curves on shared axes; the hover lists every series' value at that epoch (a dash where
 * one has none there), so 2 or 50 runs read the same way. Fixed height: nothing shifts on load.
 */
export function OverlayChart({ title, series, format, height = 260, markers = [], zero = false }: TProps) {
  const rows = mergeByEpoch(series);
  const byEpoch = new Map(rows.map((r) => [r.epoch, r]));
  const many = series.length > 10;
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} tickLine={false} allowDecimals={false} />
          <YAxis tickLine={false} width={60} domain={['auto', 'auto']} tickFormatter={format} />
          {zero && <ReferenceLine y={0} stroke="#9ca3af" />}
          {markers.map((m) => (
            <ReferenceLine key={m.label} x={m.epoch} stroke={m.color} strokeDasharray="4 3" label={{ value: m.label, position: 'insideTopRight', fill: m.color, fontSize: 11 }} />
          ))}
          <Tooltip
            isAnimationActive={false}
            content={({ active, label }) => {
              const row = active ? byEpoch.get(Number(label)) : undefined;
              if (!row) return null;
              return (
                <div className={many ? 'chart-tooltip chart-tooltip-many' : 'chart-tooltip'} role="tooltip">
                  <div className="chart-tooltip-title">epoch {row.epoch}</div>
                  <ul>
                    {series.map((s, i) => {
                      const v = row[`s${i}`];
                      return (
                        <li key={s.id} data-series={s.id}>
                          <span className="swatch" style={{ background: seriesColor(i) }} />
                          <span className="chart-tooltip-name">{s.name}</span>
                          <span className="chart-tooltip-value">{typeof v === 'number' ? format(v) : '—'}</span>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              );
            }}
          />
          {series.map((s, i) => (
            <Line
              key={s.id}
              type="monotone"
              dataKey={`s${i}`}
              name={s.name}
              stroke={seriesColor(i)}
              strokeWidth={many ? 1.25 : 2}
              dot={many || rows.length > 40 ? false : { r: 2.5 }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
