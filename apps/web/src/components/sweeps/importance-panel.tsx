'use client';

import { useState } from 'react';

interface TRanking {
  measure: 'metric' | 'lossGapAtBest' | 'onsetEpoch';
  architecture: string | null;
  trials: number;
  ranking: { key: string; importance: number; fraction: number; std: number }[];
}

const MEASURES = [
  { measure: 'metric', title: (metric: string) => `Importance on ${metric}` },
  { measure: 'lossGapAtBest', title: () => 'Importance on the loss gap at the best epoch' },
] as const;

/** fANOVA importance from analysis.sweep, on the sweep metric and on the generalization gap, over the sweep or per architecture. */
export function ImportancePanel({ importance, metricName }: { importance: readonly TRanking[]; metricName: string }) {
  const scopes = [...new Set(importance.map((i) => i.architecture))];
  const [scope, setScope] = useState<string | null>(scopes[0] ?? null);
  return (
    <section className="importance" aria-label="Hyperparameter importance">
      <div className="section-head">
        <h2>Hyperparameter importance</h2>
        {scopes.length > 1 && (
          <label className="inline-field">
            <span>Runs</span>
            <select value={scope ?? ''} onChange={(e) => setScope(e.target.value || null)}>
              {scopes.map((s) => (
                <option key={s ?? ''} value={s ?? ''}>
                  {s ?? 'all architectures'}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="charts">
        {MEASURES.map(({ measure, title }) => {
          const entry = importance.find((i) => i.measure === measure && i.architecture === scope);
          return (
            <figure key={measure} className="chart" data-measure={measure}>
              <figcaption>{title(metricName)}</figcaption>
              {!entry || entry.trials < 3 || entry.ranking.every((r) => r.fraction === 0) ? (
                <p className="chart-placeholder">Needs more finished runs that differ in their parameters{entry ? ` (${entry.trials} so far)` : ''}.</p>
              ) : (
                <ol className="bars" aria-label={title(metricName)}>
                  {entry.ranking.map((r) => (
                    <li key={r.key}>
                      <code className="bar-label">{r.key}</code>
                      <span className="bar-track">
                        <span className="bar" style={{ width: `${Math.max(1, r.fraction * 100)}%` }} />
                      </span>
                      <span className="bar-value">
                        {(r.fraction * 100).toFixed(0)}%
                        {r.std > 0 ? ` ± ${(r.std * 100).toFixed(0)}` : ''}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
              {entry && <p className="sub">fANOVA over {entry.trials} runs.</p>}
            </figure>
          );
        })}
      </div>
    </section>
  );
}
