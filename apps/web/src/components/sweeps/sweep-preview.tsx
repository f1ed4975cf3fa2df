import type { TSweepPreviewOutput } from '@hyperzoo/schemas';

import { describeError } from '@/lib/errors';
import { formatDuration } from '@/lib/format';

/** sweeps.preview's two answers: what the spec makes, or its issues. */
export type TPreviewShown = Extract<TSweepPreviewOutput, { ok: true }>;
export type TPreviewIssue = Extract<TSweepPreviewOutput, { ok: false }>['issues'][number];

interface TProps {
  /** The last valid spec's preview (greyed while stale). */
  preview: TPreviewShown | undefined;
  isChecking: boolean;
  isStale: boolean;
  /** The current spec's issues; the form shows each at its field. */
  issues: readonly TPreviewIssue[];
  /** The call itself failed (no answer, not allowed...). */
  error: unknown;
}

/** What sweeps.preview says the spec makes: runs, the search space, and the time it would take. */
export function SweepPreview({ preview, isChecking, isStale, issues, error }: TProps) {
  return (
    <section className="sweep-preview" aria-label="Preview" aria-live="polite" aria-busy={isChecking}>
      <h2>Preview {isChecking && <span className="muted">checking…</span>}</h2>
      {issues.length > 0 && (
        <p className="form-error">
          The spec is not valid yet: {issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}
        </p>
      )}
      {error !== null && !isChecking && <p className="form-error">Could not check the spec: {describeError(error)}</p>}
      {!preview && error === null && issues.length === 0 && <p className="muted">Checking the spec…</p>}
      {preview && (
        <div className={isStale || error !== null ? 'stale' : undefined}>
          <dl className="facts facts-inline">
            <div className="fact">
              <dt className="fact-label">Runs</dt>
              <dd className="fact-value" data-testid="preview-runs">
                {preview.runs}
              </dd>
            </div>
            <div className="fact">
              <dt className="fact-label">Configurations × repeats</dt>
              <dd className="fact-value">
                {preview.configurations} × {preview.repeats}
              </dd>
            </div>
            <div className="fact">
              <dt className="fact-label">Estimated time</dt>
              <dd className="fact-value" data-testid="preview-estimate" title={preview.estimate?.basis ?? 'no finished run of these architectures on the same data yet'}>
                {preview.estimate ? formatDuration(preview.estimate.seconds * 1000) : 'no estimate yet'}
              </dd>
            </div>
            <div className="fact">
              <dt className="fact-label">Method · metric</dt>
              {/* The goal is often cut off in the box: the title carries the whole line. */}
              <dd className="fact-value" title={`${preview.method} · ${preview.metric.name} (${preview.metric.goal})`}>
                {preview.method} · {preview.metric.name} ({preview.metric.goal})
              </dd>
            </div>
            <div className="fact">
              <dt className="fact-label">At once · resource</dt>
              <dd className="fact-value">
                {preview.maxConcurrent} · {preview.resourceClass}
              </dd>
            </div>
          </dl>
          {preview.estimate && <p className="sub">{preview.estimate.basis}</p>}
          {preview.perArchitecture && (
            <p className="sub">
              Per architecture:{' '}
              {Object.entries(preview.perArchitecture)
                .map(([a, n]) => `${a} ${n}`)
                .join(', ')}
            </p>
          )}
          {preview.rungs && <p className="sub">Hyperband rungs (epochs): {preview.rungs.map((r) => r.join(' → ')).join('; ')}</p>}
          {preview.parameters.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Search space">
                <thead>
                  <tr>
                    <th>Parameter</th>
                    <th>Distribution</th>
                    <th>Values</th>
                    <th className="num">Count</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.parameters.map((p) => (
                    <tr key={`${p.path}-${p.architectures.join()}`}>
                      <td>
                        <code>{p.path}</code>
                        <div className="sub">{p.architectures.join(', ')}</div>
                      </td>
                      <td>{p.distribution}</td>
                      <td>{p.values ? p.values.map((v) => JSON.stringify(v)).join(', ') : `${p.min} … ${p.max}`}</td>
                      <td className="num">{p.count ?? '∞'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
