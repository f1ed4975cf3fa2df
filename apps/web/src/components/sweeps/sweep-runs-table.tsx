'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useMemo, useRef } from 'react';

import { RUN_STATUSES } from '@hyperzoo/schemas';
import type { TSweepRunRow } from '@hyperzoo/schemas';

import { CompareToolbar, useSelectionParam } from '@/components/runs-table';
import { StatusBadge } from '@/components/status-badge';
import { formatMetric } from '@/lib/format';
import { showParam, varyingParamKeys } from '@/lib/sweep-params';
import { useUrlParam } from '@/lib/url-state';

const ROW_HEIGHT = 45;

interface TColumn {
  key: string;
  label: string;
  isNumeric: boolean;
  value: (r: TSweepRunRow) => string | number | null;
}


/**
 * The architecture, the parameters whose value differs between runs, the results, then the
 * parameters every run shares (a fixed `value` in the spec): what tells runs apart comes first.
 */
function buildColumns(runs: readonly TSweepRunRow[], metricName: string): TColumn[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const varying = varyingParamKeys(runs);
  const differs = (k: string) => varying.has(k);
  const paramColumns = (ks: string[]): TColumn[] =>
    ks.map((k) => ({
      key: `p:${k}`,
      label: k,
      isNumeric: runs.every((r) => r.params[k] === undefined || typeof r.params[k] === 'number'),
      value: (r: TSweepRunRow) => {
        const v = r.params[k];
        return typeof v === 'number' ? v : v === undefined ? null : showParam(v);
      },
    }));
  return [
    { key: 'architecture', label: 'Architecture', isNumeric: false, value: (r) => r.architecture },
    ...paramColumns(keys.filter(differs)),
    { key: 'best', label: `${metricName} (best epoch)`, isNumeric: true, value: (r) => r.bestValue },
    { key: 'bestEpoch', label: 'Best epoch', isNumeric: true, value: (r) => r.bestEpoch },
    { key: 'epochs', label: 'Epochs', isNumeric: true, value: (r) => r.epochs },
    { key: 'seed', label: 'Seed', isNumeric: true, value: (r) => r.seed },
    ...paramColumns(keys.filter((k) => !differs(k))),
  ];
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

interface TProps {
  runs: readonly TSweepRunRow[];
  teamSlug: string;
  metricName: string;
  /** The sweep's goal: "best first" sorts this way. */
  goal: 'maximize' | 'minimize';
  /** Pointing at a row highlights its run elsewhere (the parallel coordinates). */
  onHoverRun?: (runId: string | null) => void;
}

/**
 * A sweep's runs: sortable, filterable by status and text, columns to choose, values at each
 * run's best epoch; only the rows in view are in the DOM. Sort, filters, hidden columns and
 * ticked runs live in the address (?sort=best:desc&status=&q=&hide=&selected=).
 */
export function SweepRunsTable({ runs, teamSlug, metricName, goal, onHoverRun }: TProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selection = useSelectionParam();
  const [sort, setSort] = useUrlParam('sort');
  const [status, setStatus] = useUrlParam('status');
  const [query, setQuery] = useUrlParam('q');
  const [hideParam, setHide] = useUrlParam('hide');
  const hidden = useMemo(() => new Set(hideParam.split(',').filter(Boolean)), [hideParam]);
  const allColumns = useMemo(() => buildColumns(runs, metricName), [runs, metricName]);
  const columns = allColumns.filter((c) => !hidden.has(c.key));
  const [sortKey, sortDir] = (sort || `best:${goal === 'maximize' ? 'desc' : 'asc'}`).split(':');

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const filtered = runs.filter(
      (r) => (!status || r.status === status) && (!q || `${r.name} ${r.architecture} ${JSON.stringify(r.params)}`.toLowerCase().includes(q)),
    );
    const column = allColumns.find((c) => c.key === sortKey);
    if (!column) return filtered;
    const sign = sortDir === 'asc' ? 1 : -1;
    // Empty values last in either direction.
    return [...filtered].sort((a, b) => {
      const va = column.value(a);
      const vb = column.value(b);
      if (va === null || vb === null) return compareValues(va, vb);
      return sign * compareValues(va, vb);
    });
  }, [runs, status, query, allColumns, sortKey, sortDir]);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const span = columns.length + 2;

  function toggleSort(key: string) {
    setSort(sortKey === key ? `${key}:${sortDir === 'asc' ? 'desc' : 'asc'}` : `${key}:desc`);
  }
  function toggleColumn(key: string, visible: boolean) {
    const next = new Set(hidden);
    if (visible) next.delete(key);
    else next.add(key);
    setHide([...next].join(','));
  }
  const selected = selection.ids;

  return (
    <div className="sweep-runs">
      <div className="table-toolbar table-filters" role="search" aria-label="Filter runs">
        <label className="inline-field">
          <span>Status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Filter</span>
          <input type="search" value={query} placeholder="name, architecture, value" onChange={(e) => setQuery(e.target.value)} />
        </label>
        <details className="column-chooser">
          <summary className="button button-compact">Columns</summary>
          <fieldset>
            <legend>Shown columns</legend>
            {allColumns.map((c) => (
              <label key={c.key} className="check">
                <input type="checkbox" checked={!hidden.has(c.key)} onChange={(e) => toggleColumn(c.key, e.target.checked)} />
                {c.label}
              </label>
            ))}
          </fieldset>
        </details>
        <span className="muted" aria-live="polite">
          {rows.length} of {runs.length} runs
        </span>
      </div>
      <CompareToolbar selection={selection} teamSlug={teamSlug} />
      <div ref={scrollRef} className="table-wrap table-scroll" data-testid="sweep-runs-scroll">
        <table className="table" aria-label="Sweep runs" aria-rowcount={rows.length + 1}>
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              {columns.map((c) => {
                const dir = sortKey === c.key ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none';
                return (
                  <th key={c.key} className={c.isNumeric ? 'num' : undefined} aria-sort={dir}>
                    <button type="button" className="sort-button" onClick={() => toggleSort(c.key)}>
                      {c.label}
                      {dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {top > 0 && (
              <tr aria-hidden="true">
                <td colSpan={span} style={{ height: top, padding: 0, border: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const r = rows[item.index];
              if (!r) return null;
              const isSelected = selected.includes(r.id);
              return (
                <tr
                  key={r.id}
                  data-run-id={r.id}
                  aria-rowindex={item.index + 2}
                  className={isSelected ? 'selected' : undefined}
                  style={{ height: ROW_HEIGHT }}
                  onMouseEnter={() => onHoverRun?.(r.id)}
                  onMouseLeave={() => onHoverRun?.(null)}
                >
                  <td className="nowrap">
                    <input
                      type="checkbox"
                      className="row-check"
                      aria-label={`Select ${r.name}`}
                      checked={isSelected}
                      onChange={(e) => selection.set(e.target.checked ? [...selected, r.id] : selected.filter((x) => x !== r.id))}
                    />
                    <Link href={`/runs/${r.id}?team=${encodeURIComponent(teamSlug)}`} className="run-link">
                      {r.name}
                    </Link>
                  </td>
                  <td className="nowrap" title={r.error ?? undefined}>
                    <StatusBadge status={r.status} />
                    {r.status === 'pruned' && r.prunedRung !== null && (
                      // Rungs counted from 1 as people do (the API's prunedRung counts from 0); a pruned run stops at its rung's epoch.
                      <span className="sub" data-testid="pruned-rung">
                        {' '}
                        at rung {r.prunedRung + 1} (epoch {r.epochs}){r.prunedCutoff !== null ? `, cut-off ${formatMetric(r.prunedCutoff)}` : ''}
                      </span>
                    )}
                  </td>
                  {columns.map((c) => {
                    const v = c.value(r);
                    return (
                      <td key={c.key} className={c.isNumeric ? 'num' : undefined}>
                        {c.key === 'best' ? formatMetric(v as number | null) : showParam(v)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
            {bottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={span} style={{ height: bottom, padding: 0, border: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
