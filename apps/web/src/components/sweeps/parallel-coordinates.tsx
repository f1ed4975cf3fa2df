'use client';

import { ParallelChart } from 'echarts/charts';
import { ParallelComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';

import type { TSweepRunRow } from '@hyperzoo/schemas';

import { formatMetric } from '@/lib/format';

// Only the parts this chart uses: the bundle stays small.
echarts.use([ParallelChart, ParallelComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

interface TAxis {
  key: string;
  name: string;
  /** Category axes list their values; value axes are numeric (log when the values span decades). */
  categories: string[] | null;
  isLog: boolean;
  read: (r: TSweepRunRow) => number | string | null;
}

const asCategory = (v: unknown): string => (typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean));

/** One axis per swept parameter that takes more than one value, then architecture and the metric. */
function buildAxes(runs: readonly TSweepRunRow[], metricName: string): TAxis[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const axes: TAxis[] = [];
  const architectures = [...new Set(runs.map((r) => r.architecture))].sort();
  if (architectures.length > 1) axes.push({ key: 'architecture', name: 'architecture', categories: architectures, isLog: false, read: (r) => r.architecture });
  for (const key of keys) {
    const values = runs.map((r) => r.params[key]).filter((v) => v !== undefined && v !== null);
    const distinct = [...new Set(values.map(asCategory))];
    if (distinct.length < 2) continue;
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (numbers.length === values.length) {
      const min = Math.min(...numbers);
      const max = Math.max(...numbers);
      axes.push({ key, name: key, categories: null, isLog: min > 0 && max / min >= 100, read: (r) => (typeof r.params[key] === 'number' ? r.params[key] : null) });
    } else {
      axes.push({ key, name: key, categories: distinct.sort(), isLog: false, read: (r) => (r.params[key] === undefined ? null : asCategory(r.params[key])) });
    }
  }
  axes.push({ key: 'metric', name: metricName, categories: null, isLog: false, read: (r) => r.bestValue });
  return axes;
}

/** Set by the chart: highlights a run's line and shows its tooltip (null clears), without a React render. */
export type THighlightRun = { current: (runId: string | null) => void };

interface TProps {
  runs: readonly TSweepRunRow[];
  metricName: string;
  goal: 'maximize' | 'minimize';
  highlight: THighlightRun;
}

/** Every run with a value as one line across its parameters to the metric at its best epoch (ECharts parallel coordinates). */
/** A value as the tooltip and readout show it: the metric as in the runs table, other numbers to 6 significant digits. */
function showValue(axis: TAxis, v: unknown): string {
  if (typeof v !== 'number') return typeof v === 'string' ? v : '—';
  return axis.key === 'metric' ? formatMetric(v) : String(Number(v.toPrecision(6)));
}

export function ParallelCoordinates({ runs, metricName, goal, highlight }: TProps) {
  const scored = useMemo(() => runs.filter((r) => r.bestValue !== null), [runs]);
  const axes = useMemo(() => buildAxes(scored, metricName), [scored, metricName]);
  const option = useMemo<EChartsCoreOption>(() => {
    const values = scored.map((r) => r.bestValue ?? 0);
    const min = values.length ? Math.min(...values) : 0;
    const max = values.length ? Math.max(...values) : 1;
    return {
      animation: false,
      tooltip: {
        trigger: 'item',
        confine: true,
        className: 'parallel-tooltip',
        // Run names and values are the user's: escaped, ECharts writes this as HTML.
        formatter: (p: { name: string; value: unknown[] }) =>
          [`<strong>${echarts.format.encodeHTML(p.name)}</strong>`, ...axes.map((a, i) => `${echarts.format.encodeHTML(a.name)}: ${echarts.format.encodeHTML(showValue(a, p.value[i]))}`)].join('<br/>'),
      },
      parallel: { left: 110, right: 100, top: 40, bottom: 28, parallelAxisDefault: { nameLocation: 'end', nameGap: 12, nameTextStyle: { fontSize: 11 } } },
      parallelAxis: axes.map((a, dim) =>
        a.categories ? { dim, name: a.name, type: 'category', data: a.categories } : { dim, name: a.name, type: a.isLog ? 'log' : 'value', scale: true },
      ),
      visualMap: {
        type: 'continuous',
        dimension: axes.length - 1,
        min,
        max: max > min ? max : min + 1,
        inRange: { color: goal === 'maximize' ? ['#cbd5e1', '#2563eb'] : ['#2563eb', '#cbd5e1'] },
        right: 8,
        top: 'middle',
        calculable: false,
        itemHeight: 120,
      },
      series: [
        {
          type: 'parallel',
          lineStyle: { width: 1.5, opacity: 0.6 },
          emphasis: { lineStyle: { width: 3, opacity: 1 } },
          data: scored.map((r) => ({ name: r.name, value: axes.map((a) => a.read(r) ?? '-') })),
        },
      ],
    };
  }, [scored, axes, metricName, goal]);
  const describe = useMemo(() => (r: TSweepRunRow) => `${r.name}: ${axes.map((a) => `${a.name} ${showValue(a, a.read(r))}`).join(' · ')}`, [axes]);

  return (
    <figure className="chart" aria-label="Parallel coordinates">
      <figcaption>Parameters → {metricName} at the best epoch</figcaption>
      {axes.length < 2 ? (
        // One axis (no parameter differs yet among the scored runs) draws no lines: say so, at the chart's height.
        <>
          <p className="chart-placeholder parallel-chart">
            {scored.length === 0 ? `No run has a ${metricName} yet.` : `The lines appear once runs with different parameters have a ${metricName}.`}
          </p>
          <p className="sub parallel-readout">{READOUT_HINT}</p>
        </>
      ) : (
        <Chart option={option} scored={scored} highlight={highlight} describe={describe} />
      )}
    </figure>
  );
}

/** The ECharts instance: made on mount, given each new option, disposed on unmount. */
interface TChartProps {
  option: EChartsCoreOption;
  scored: readonly TSweepRunRow[];
  highlight: THighlightRun;
  describe: (r: TSweepRunRow) => string;
}

const READOUT_HINT = 'Point at a run in the table to pick out its line.';

function Chart({ option, scored, highlight, describe }: TChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLParagraphElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);
  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true });
    let shown: number | null = null;
    highlight.current = (runId) => {
      const chart = chartRef.current;
      if (!chart) return;
      if (shown !== null) chart.dispatchAction({ type: 'downplay', seriesIndex: 0, dataIndex: shown });
      const index = runId === null ? -1 : scored.findIndex((r) => r.id === runId);
      const run = scored[index];
      shown = run ? index : null;
      // Written straight into the DOM: pointing at rows must not re-render the page.
      if (readout.current) readout.current.textContent = run ? describe(run) : READOUT_HINT;
      if (run) chart.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: index });
    };
    return () => {
      highlight.current = () => undefined;
    };
  }, [option, scored, highlight, describe]);

  return (
    <>
      <div ref={ref} className="parallel-chart" data-testid="parallel-coordinates" />
      <p ref={readout} className="sub parallel-readout" data-testid="parallel-readout">
        {READOUT_HINT}
      </p>
    </>
  );
}
