import { RUN_STATUSES, TERMINAL_RUN_STATUSES } from '@hyperzoo/schemas';
import type { TSweepCounts, TSweepStatus } from '@hyperzoo/schemas';

export function SweepStatusBadge({ status }: { status: TSweepStatus }) {
  return (
    <span className={`badge badge-sweep-${status}`} data-sweep-status={status}>
      {status}
    </span>
  );
}

/** Runs that have ended, whatever the way. */
const countEnded = (counts: TSweepCounts): number => TERMINAL_RUN_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);

/** "4 of 12 ended" with a bar, then the non-zero counts by status. `total` is the sweep's planned runs, when known. */
export function SweepProgress({ counts, total }: { counts: TSweepCounts; total?: number }) {
  const ended = countEnded(counts);
  const made = RUN_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const of = Math.max(total ?? made, made);
  return (
    <div className="sweep-progress">
      <div className="progress-line">
        <progress value={ended} max={Math.max(of, 1)} aria-label="Runs ended" />
        <span className="nowrap" data-testid="sweep-progress-text">
          {ended} of {of} ended
        </span>
      </div>
      <ul className="status-counts" aria-label="Runs by status">
        {RUN_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
          <li key={s} data-count-status={s}>
            <span className={`badge badge-${s}`}>{s}</span> {counts[s]}
          </li>
        ))}
      </ul>
    </div>
  );
}
