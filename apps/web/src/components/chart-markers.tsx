import { ReferenceLine } from 'recharts';

/** An epoch worth marking on a run's charts. */
export interface TEpochMarker {
  kind: 'best' | 'stopped' | 'onset';
  epoch: number;
  label: string;
  color: string;
}

/**
 * The markers as vertical lines. A function, not a component: recharts only draws its own elements
 * placed directly inside the chart.
 */
export function renderMarkers(markers: readonly TEpochMarker[], yAxisId?: string) {
  return markers.map((m) => (
    <ReferenceLine
      key={m.kind}
      x={m.epoch}
      {...(yAxisId ? { yAxisId } : {})}
      stroke={m.color}
      strokeDasharray="4 3"
      className={`marker marker-${m.kind}`}
      label={{ value: m.label, position: 'insideTopRight', fill: m.color, fontSize: 11 }}
    />
  ));
}
