const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most this many runs in one comparison (runs.compare's limit). */
export const MAX_COMPARE_RUNS = 50;

/** ?runs=a,b,c as ids, in order, without repeats; anything that is not a run id is left out. */
export function parseRunIds(param: string | null): string[] {
  if (!param) return [];
  return [...new Set(param.split(',').map((s) => s.trim().toLowerCase()))].filter((s) => UUID.test(s));
}

/** The compare page for these runs of a team. */
export function compareHref(teamSlug: string, runIds: readonly string[]): string {
  return `/teams/${encodeURIComponent(teamSlug)}/compare?runs=${runIds.join(',')}`;
}
