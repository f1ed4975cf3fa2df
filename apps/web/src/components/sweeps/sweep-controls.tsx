'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';

import { ZAddSweepRunsInput } from '@hyperzoo/schemas';
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

/** Pause, resume, cancel, rerun failed runs and add runs; only for members (the caller hides it from viewers, the API refuses them). */
export function SweepControls({ sweepId, status, counts, onChanged }: TProps) {
  const trpc = useTRPC();
  const options = { onSuccess: onChanged };
  const pause = useMutation(trpc.sweeps.pause.mutationOptions(options));
  const resume = useMutation(trpc.sweeps.resume.mutationOptions(options));
  const cancel = useMutation(trpc.sweeps.cancel.mutationOptions(options));
  const rerun = useMutation(trpc.sweeps.rerunFailed.mutationOptions(options));
  const addRuns = useMutation(trpc.sweeps.addRuns.mutationOptions(options));
  const [runsText, setRunsText] = useState('1');
  const runsToAdd = ZAddSweepRunsInput.shape.runs.safeParse(Number(runsText));
  const busy = pause.isPending || resume.isPending || cancel.isPending || rerun.isPending || addRuns.isPending;
  const failed = (counts.failed ?? 0) + (counts.diverged ?? 0);
  const error = [pause, resume, cancel, rerun, addRuns].find((m) => m.isError)?.error;

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
      {status !== 'cancelled' && (
        // A form, so Enter in the field adds the runs too. The plan goes on past its end (a finished sweep runs again).
        <form
          className="inline-field"
          aria-label="Add runs"
          onSubmit={(e) => {
            e.preventDefault();
            if (runsToAdd.success && !busy) addRuns.mutate({ sweepId, runs: runsToAdd.data });
          }}
        >
          <label htmlFor={`add-runs-${sweepId}`}>Runs to add</label>
          <input
            id={`add-runs-${sweepId}`}
            type="number"
            min={1}
            max={100_000}
            step={1}
            required
            value={runsText}
            aria-invalid={!runsToAdd.success}
            onChange={(e) => setRunsText(e.target.value)}
          />
          <button type="submit" className="button button-compact" disabled={busy || !runsToAdd.success}>
            Add runs
          </button>
        </form>
      )}
      {error && <span className="form-error">{describeError(error)}</span>}
    </div>
  );
}
