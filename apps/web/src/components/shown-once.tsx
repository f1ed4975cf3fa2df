import type { ReactNode } from 'react';

/**
 * A secret the API returns only once (a new key, an invitation link): what it is (children), the
 * secret to copy, an optional note under it, and Done.
 */
export function ShownOnce({ secret, secretLabel, note, onDone, children }: { secret: string; secretLabel: string; note?: ReactNode; onDone: () => void; children: ReactNode }) {
  return (
    <div className="key-once" role="status">
      {children}
      <code className="key-secret" aria-label={secretLabel}>
        {secret}
      </code>
      {note}
      <button type="button" className="button button-compact" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
