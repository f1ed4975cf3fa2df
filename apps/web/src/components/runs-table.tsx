'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

import type { TRunSummary } from '@hyperzoo/schemas';

import { StatusBadge } from '@/components/status-badge';
import { formatDateTime, formatPercent } from '@/lib/format';
import { compareHref, MAX_COMPARE_RUNS, parseRunIds } from '@/lib/run-ids';

/** Every row has this height (one name line and one sub-line), so the virtualiser needs no measuring. */
const ROW_HEIGHT = 57;
const COLUMNS = 9;

interface TProps {
  runs: readonly TRunSummary[];
  teamSlug: string;
  /** Called when the last rows come into view (the next page of runs, if any). */
  onReachEnd?: () => void;
}

/**
 * The runs as a table that renders only the rows in view (plus a few), so 500+ runs scroll
 * smoothly; tick runs to compare them.
 */
export function RunsTable({ runs, teamSlug, onReachEnd }: TProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selection = useSelectionParam();
  const selected = selection.ids;
  const virtualizer = useVirtualizer({ count: runs.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  useEffect(() => {
    if (onReachEnd && runs.length > 0 && lastIndex >= runs.length - 1) onReachEnd();
  }, [lastIndex, runs.length, onReachEnd]);

  function toggle(id: string, on: boolean) {
    selection.set(on ? [...selected, id] : selected.filter((x) => x !== id));
  }
  return (
    <>
      <CompareToolbar selection={selection} teamSlug={teamSlug} />
      <div ref={scrollRef} className="table-wrap table-scroll">
        <table className="table" aria-label="Runs" aria-rowcount={runs.length + 1}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Architecture</th>
              <th>Status</th>
              <th className="num">Attempt</th>
              <th className="num">Best epoch</th>
              <th className="num">Test accuracy</th>
              <th>Backend</th>
              <th>Created</th>
              <th>Project</th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && (
              <tr aria-hidden="true">
                <td colSpan={COLUMNS} style={{ height: top, padding: 0, border: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const r = runs[item.index];
              if (!r) return null;
              const isSelected = selected.includes(r.id);
              return (
                <tr key={r.id} data-run-id={r.id} aria-rowindex={item.index + 2} className={isSelected ? 'selected' : undefined} style={{ height: ROW_HEIGHT }}>
                  <td>
                    <input type="checkbox" className="row-check" aria-label={`Select ${r.name}`} checked={isSelected} onChange={(e) => toggle(r.id, e.target.checked)} />
                    <Link href={`/runs/${r.id}?team=${encodeURIComponent(teamSlug)}`} className="run-link">
                      {r.name}
                    </Link>
                    <div className="sub">{r.dataset}</div>
                  </td>
                  <td>
                    <code>{r.architecture}</code>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="num">{r.attempt}</td>
                  <td className="num">{r.bestEpoch ?? '—'}</td>
                  <td className="num">{formatPercent(r.testAccuracy)}</td>
                  <td>{r.backend ?? '—'}</td>
                  <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                  <td>{r.projectSlug}</td>
                </tr>
              );
            })}
            {bottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={COLUMNS} style={{ height: bottom, padding: 0, border: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** How many runs are ticked, and "Compare" once there are 2 to 50 of them. */
export function CompareToolbar({ selection, teamSlug }: { selection: ReturnType<typeof useSelectionParam>; teamSlug: string }) {
  const selected = selection.ids;
  const tooMany = selected.length > MAX_COMPARE_RUNS;
  return (
    <div className="table-toolbar" role="toolbar" aria-label="Selected runs">
      <span className="muted" aria-live="polite">
        {selected.length === 0 ? 'Tick runs to compare them.' : `${selected.length} selected${tooMany ? ` (at most ${MAX_COMPARE_RUNS})` : ''}`}
      </span>
      {selected.length >= 2 && !tooMany ? (
        <Link className="button button-compact" href={compareHref(teamSlug, selected)}>
          Compare {selected.length} runs
        </Link>
      ) : (
        <span className="button button-compact" aria-disabled="true">
          Compare
        </span>
      )}
      {selected.length > 0 && (
        <button type="button" className="button button-compact" onClick={() => selection.set([])}>
          Clear
        </button>
      )}
    </div>
  );
}

/**
 * The ticked runs live in ?selected=, so a selection is a link like any other view. React state
 * holds them too: a tick shows at once, and the next tick builds on it, whenever the address
 * catches up.
 */
export function useSelectionParam() {
  const pathname = usePathname();
  const params = useSearchParams();
  const [ids, setIds] = useState(() => parseRunIds(params.get('selected')));
  function set(next: readonly string[]) {
    setIds([...next]);
    const query = new URLSearchParams(window.location.search);
    if (next.length > 0) query.set('selected', next.join(','));
    else query.delete('selected');
    // Commas stay readable in the address (run ids never contain one).
    const search = query.toString().replaceAll('%2C', ',');
    // The history API, not router.replace: Next syncs useSearchParams with it and asks the server for nothing.
    window.history.replaceState(null, '', search ? `${pathname}?${search}` : pathname);
  }
  return { ids, set };
}
