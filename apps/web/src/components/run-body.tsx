import type { TRunDetail } from '@hyperzoo/schemas';

import { EpochTable } from '@/components/epoch-table';
import { RunConfigSummary, RunFacts, RunSystem } from '@/components/run-facts';
import { RunCurves } from '@/components/run-curves';

/** Everything below a run's title; the run comes from RunView's query (live updates land here). */
export function RunBody({ run: r, teamSlug }: { run: TRunDetail; teamSlug: string | null }) {
  return (
    <>
      <RunFacts run={r} />
      <h2>Training curves</h2>
      {r.epochs.length > 0 ? <RunCurves run={r} /> : <p className="empty">No epochs recorded yet.</p>}
      <h2>Epochs</h2>
      {r.epochs.length > 0 && <EpochTable epochs={r.epochs} bestEpoch={r.bestEpoch} stoppedEpoch={r.stoppedEpoch} />}
      <h2>System</h2>
      <RunSystem run={r} teamSlug={teamSlug} />
      <h2>Configuration</h2>
      <RunConfigSummary run={r} />
    </>
  );
}
