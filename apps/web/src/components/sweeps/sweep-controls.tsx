'use client';

import { useMutation } from '@tanstack/react-query';

import type { TSweepCounts, TSweepStatus } from '@hyperzoo/schemas';

import { describeError } from '@/lib/errors';
import { useTRPC } from '@/trpc/react';

interface TProps {
  sweepId: string;
  status: TSweepStatus;
  counts: TSweepCounts;
  /** After a change: read the sweep again. */
  onChanged: () => void;
}

/** Pause, resume, cancel and rerun failed runs; only for members (the caller hides it from viewers, the API refuses them). */
export function SweepControls({ sweepId, status, counts, onChanged }: TProps) {
  const trpc = useTRPC();
  const options = { onSuccess: onChanged };
  const pause = useMutation(trpc.sweeps.pause.mutationOptions(options));
  const resume = useMutation(trpc.sweeps.resume.mutationOptions(options));
  const cancel = useMutation(trpc.sweeps.cancel.mutationOptions(options));
  const rerun = useMutation(trpc.sweeps.rerunFailed.mutationOptions(options));
  const busy = pause.isPending || resume.isPending || cancel.isPending || rerun.isPending;
  const failed = (counts.failed ?? 0) + (counts.diverged ?? 0);
  const error = [pause, resume, cancel, rerun].find((m) => m.isError)?.error;

  return (
    <div className="sweep-controls" role="group" aria-label="Sweep controls">
      {status === 'running' && (
        <button type="button" className="button button-compact" disabled={busy} onClick={() => pause.mutate({ sweepId })}>
          Pause
        </button>
      )}
      {status === 'paused' && (
        <button type="button" className="button button-compact" disabled={busy} onClick={() => resume.mutate({ sweepId })}>
          Resume
        </button>
      )}
      {(status === 'running' || status === 'paused') && (
        <button
          type="button"
          className="button button-compact button-danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm('Cancel this sweep? Queued runs end now, running ones at their next batch.')) cancel.mutate({ sweepId });
          }}
        >
          Cancel sweep
        </button>
      )}
      {failed > 0 && status !== 'cancelled' && (
        <button type="button" className="button button-compact" disabled={busy} onClick={() => rerun.mutate({ sweepId })}>
          Rerun {failed} failed
        </button>
      )}
      {error && <span className="form-error">{describeError(error)}</span>}
    </div>
  );
}
