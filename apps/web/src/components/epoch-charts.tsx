'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { TEpochMetric } from '@hyperzoo/schemas';

import { renderMarkers } from '@/components/chart-markers';
import type { TEpochMarker } from '@/components/chart-markers';
import { GapChart } from '@/components/gap-chart';
import type { TGapPoint } from '@/components/gap-chart';

const TRAIN = '#2563eb';
const VALIDATION = '#ea580c';

interface TCurve {
  title: string;
  train: 'loss' | 'accuracy';
  validation: 'val_loss' | 'val_accuracy';
  format: (v: number) => string;
}

const CURVES: TCurve[] = [
  { title: 'Loss', train: 'loss', validation: 'val_loss', format: (v) => v.toFixed(3) },
  { title: 'Accuracy', train: 'accuracy', validation: 'val_accuracy', format: (v) => `${(v * 100).toFixed(1)}%` },
];

interface TProps {
  epochs: TEpochMetric[];
  markers?: readonly TEpochMarker[];
  /** The generalization gap per epoch (analysis.run), drawn beside the two curves. */
  gaps?: readonly TGapPoint[] | null;
}

/** Train vs validation, per epoch: where the two curves part is where the model starts to overfit. */
export function EpochCharts({ epochs, markers = [], gaps }: TProps) {
  return (
    <div className="charts charts-run">
      {CURVES.map((c) => (
        <figure key={c.title} className="chart" aria-label={`${c.title} by epoch`}>
          <figcaption>{c.title} by epoch</figcaption>
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={epochs} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
              <XAxis dataKey="epoch" tickLine={false} allowDecimals={false} />
              <YAxis tickLine={false} width={56} domain={['auto', 'auto']} tickFormatter={c.format} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? c.format(v) : String(v))} labelFormatter={(l) => `epoch ${Number(l)}`} />
              <Legend />
              {renderMarkers(markers)}
              <Line type="monotone" dataKey={c.train} name={c.train} stroke={TRAIN} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
              <Line type="monotone" dataKey={c.validation} name={c.validation} stroke={VALIDATION} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      ))}
      {gaps !== undefined && <GapChart gaps={gaps} markers={markers} />}
    </div>
  );
}
