import type { TRunConfig } from '@hyperzoo/schemas';

import { seriesColor } from '@/lib/palette';

interface TRun {
  id: string;
  name: string;
  config: TRunConfig;
}

/** A config value as one short line (arrays as JSON, absent as a dash). */
function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Dotted leaves of a config, for the keys every run shares (runs.compare already lists the differing ones). */
function flatten(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, value]);
  return out;
}

/**
 * The keys that differ (from runs.compare's configDiff), one row per run so 50 runs stay readable,
 * then what all runs share.
 */
export function ConfigDiff({ runs, diff }: { runs: readonly TRun[]; diff: Record<string, unknown[]> }) {
  const keys = Object.keys(diff);
  const shared = runs[0] ? flatten(runs[0].config).filter(([k]) => !(k in diff)) : [];
  return (
    <>
      {keys.length === 0 ? (
        <p className="empty">The runs have the same configuration.</p>
      ) : (
        <div className="table-wrap">
          <table className="table config-diff" aria-label="Configuration differences">
            <thead>
              <tr>
                <th>Run</th>
                {keys.map((k) => (
                  <th key={k} className="differs" scope="col">
                    <code>{k}</code>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {runs.map((r, i) => (
                <tr key={r.id}>
                  <th scope="row">
                    <span className="swatch" style={{ background: seriesColor(i) }} />
                    {r.name}
                  </th>
                  {keys.map((k) => (
                    <td key={k} className="differs">
                      {show(diff[k]?.[i])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shared.length > 0 && (
        <details className="shared-config">
          <summary>Same in every run ({shared.length} keys)</summary>
          <dl className="config">
            {shared.map(([k, v]) => (
              <div key={k}>
                <dt>
                  <code>{k}</code>
                </dt>
                <dd>{show(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </>
  );
}
