import type { TRunDetail } from '@hyperzoo/schemas';

import { EpochTable } from '@/components/epoch-table';
import { RunArtifacts } from '@/components/run-artifacts';
import { RunAttempts } from '@/components/run-attempts';
import { RunConfigSummary, RunFacts, RunSystem } from '@/components/run-facts';
import { RunCurves } from '@/components/run-curves';
import { RunTryIt } from '@/components/run-try-it';

/** Everything below a run's title; the run comes from RunView's query (live updates land here). */
export function RunBody({ run: r, teamSlug, isMember }: { run: TRunDetail; teamSlug: string | null; isMember: boolean }) {
  return (
    <>
      <RunFacts run={r} />
      <h2>Training curves</h2>
      {r.epochs.length > 0 ? <RunCurves run={r} /> : <p className="empty">No epochs recorded yet.</p>}
      <h2>Epochs</h2>
      {r.epochs.length > 0 && <EpochTable epochs={r.epochs} bestEpoch={r.bestEpoch} stoppedEpoch={r.stoppedEpoch} />}
      <h2>System</h2>
      <RunSystem run={r} teamSlug={teamSlug} />
      <h2>Attempts</h2>
      <RunAttempts run={r} />
      <h2>Artifacts</h2>
      <RunArtifacts runId={r.id} />
      {/* runs.predict spends a worker's time: members and up, like starting a run. */}
      {isMember && (
        <>
          <h2>Try it</h2>
          <RunTryIt run={r} />
        </>
      )}
      <h2>Configuration</h2>
      <RunConfigSummary run={r} />
    </>
  );
}
