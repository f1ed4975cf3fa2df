import type { TRunStatus } from '@hyperzoo/schemas';

export function StatusBadge({ status }: { status: TRunStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {status}
    </span>
  );
}
