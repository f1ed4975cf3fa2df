'use client';

import { useState } from 'react';

/**
 * A destructive row action in two steps: the action, then "Confirm …" or "Keep". The confirm step
 * stays (disabled while `pending`) until the call settles; `onConfirm` gets the callback for that.
 */
export function ConfirmButton({
  action,
  ariaLabel,
  pending,
  onConfirm,
}: {
  /** "Revoke", "Remove": the button, and "Confirm revoke" once asked. */
  action: string;
  ariaLabel: string;
  pending: boolean;
  onConfirm: (settled: () => void) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="button button-compact" aria-label={ariaLabel} onClick={() => setConfirming(true)}>
        {action}
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button button-danger button-compact" disabled={pending} onClick={() => onConfirm(() => setConfirming(false))}>
        Confirm {action.toLowerCase()}
      </button>{' '}
      <button type="button" className="button button-compact" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </>
  );
}
