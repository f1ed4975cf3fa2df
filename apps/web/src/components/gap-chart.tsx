'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { renderMarkers } from '@/components/chart-markers';
import type { TEpochMarker } from '@/components/chart-markers';
import { formatMetric, formatPercent } from '@/lib/format';

/** One epoch's generalization gap: val_loss - loss and accuracy - val_accuracy (libs/analysis gap.ts). */
export interface TGapPoint {
  epoch: number;
  loss: number | null;
  accuracy: number | null;
}

const LOSS_GAP = '#7c3aed';
const ACCURACY_GAP = '#0d9488';

/**
 * The gap per epoch from analysis.run: loss gap on the left axis, accuracy gap (in points) on the
 * right. Null gaps (gaps still loading) keep the figure's size, so nothing below it moves.
 */
export function GapChart({ gaps, markers }: { gaps: readonly TGapPoint[] | null; markers: readonly TEpochMarker[] }) {
  return (
    <figure className="chart" aria-label="Generalization gap by epoch">
      <figcaption>Generalization gap by epoch</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={gaps ? [...gaps] : []} margin={{ top: 8, right: 4, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis dataKey="epoch" tickLine={false} allowDecimals={false} />
          <YAxis yAxisId="loss" tickLine={false} width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => formatMetric(v, 2)} />
          <YAxis yAxisId="accuracy" orientation="right" tickLine={false} width={52} domain={['auto', 'auto']} tickFormatter={(v: number) => formatPercent(v, 1)} />
          <ReferenceLine yAxisId="loss" y={0} stroke="#9ca3af" />
          <Tooltip
            formatter={(v, name) => (typeof v !== 'number' ? String(v) : name === 'accuracy gap' ? formatPercent(v, 2) : formatMetric(v, 4))}
            labelFormatter={(l) => `epoch ${Number(l)}`}
          />
          <Legend />
          {renderMarkers(markers, 'loss')}
          <Line yAxisId="loss" type="monotone" dataKey="loss" name="loss gap" stroke={LOSS_GAP} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
          <Line yAxisId="accuracy" type="monotone" dataKey="accuracy" name="accuracy gap" stroke={ACCURACY_GAP} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
