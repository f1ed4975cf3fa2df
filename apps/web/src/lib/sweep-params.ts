/** A parameter value as text: JSON for objects, '—' when absent. */
export const showParam = (v: unknown): string =>
  v === undefined || v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean);

/** The parameters whose value differs between runs: what tells a sweep's runs apart. */
export function varyingParamKeys(runs: readonly { params: Record<string, unknown> }[]): Set<string> {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.params)));
  return new Set([...keys].filter((k) => new Set(runs.map((r) => showParam(r.params[k]))).size > 1));
}
