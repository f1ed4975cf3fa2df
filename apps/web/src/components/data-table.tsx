import type { ReactNode } from 'react';

/**
 * A scrollable table with a header row; `false` leaves a column out (an admin-only column), '' is
 * a column without a title (row actions). The rows are the caller's.
 */
export function DataTable({ label, columns, children }: { label: string; columns: readonly (string | false)[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>{columns.map((c, i) => (c === false ? null : <th key={i}>{c}</th>))}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
