import type { IncomingMessage, ServerResponse } from 'node:http';

import { runFiltersFromParams, toIssues, ZRunFilters, ZSlug } from '@hyperzoo/schemas';
import type { DbClient } from '@hyperzoo/db';

import { DomainError } from './errors';
import { getTeamAccess } from './services/access';
import { streamExport } from './services/export';
import type { Context } from './trpc';

const STATUS = { NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHORIZED: 401, BAD_REQUEST: 400, CONFLICT: 409, PRECONDITION_FAILED: 412, TOO_MANY_REQUESTS: 429 } as const;
const PATH = /^\/export\/(runs|epochs)\.(csv|json)$/;
const CONTENT_TYPE = { csv: 'text/csv; charset=utf-8', json: 'application/json' } as const;

/** Whether a request is for the export route (GET /export/runs.csv and the like). */
export const isExportRequest = (url: string | undefined) => url?.startsWith('/export/') === true;

/** Resolves once the response can take more, rejects when the client went away. */
function writer(res: ServerResponse) {
  return (chunk: string) =>
    new Promise<void>((resolve, reject) => {
      if (res.destroyed) return reject(new Error('client closed the export'));
      if (res.write(chunk)) return resolve();
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        if (res.destroyed) reject(new Error('client closed the export'));
        else resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
}

/**
 * GET /export/{runs|epochs}.{csv|json}?team=<slug>&<filters>: a team's runs or epochs, streamed.
 * The same auth as tRPC (the context built from this request) and the same rule: a viewer of
 * the team reads, another team answers 404 like a missing one. Filters as runFiltersFromParams.
 */
export async function handleExportRequest(ctx: Pick<Context, 'db' | 'principal'> & { db: DbClient }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fail = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const url = new URL(req.url ?? '/', 'http://x');
  const m = PATH.exec(url.pathname);
  if (req.method !== 'GET') return void fail(405, { error: 'export is GET only' });
  if (!m) return void fail(404, { error: 'no such export; try /export/runs.csv, runs.json, epochs.csv or epochs.json' });
  const [, kind, format] = m as unknown as [string, 'runs' | 'epochs', 'csv' | 'json'];
  if (!ctx.principal) return void fail(401, { error: 'log in or send an API key (Authorization: Bearer hz_...)' });
  const team = ZSlug.safeParse(url.searchParams.get('team') ?? '');
  if (!team.success) return void fail(400, { error: 'team: give the team slug (?team=...)' });
  const filters = ZRunFilters.safeParse(runFiltersFromParams(url.searchParams));
  if (!filters.success) return void fail(400, { error: 'bad filters', issues: toIssues(filters.error) });
  let teamId: string;
  try {
    teamId = (await getTeamAccess(ctx.db, ctx.principal, { slug: team.data }, 'viewer')).teamId;
  } catch (err) {
    if (err instanceof DomainError) return void fail(STATUS[err.code], { error: err.message });
    throw err;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPE[format], 'content-disposition': `attachment; filename="${team.data}-${kind}.${format}"`, 'cache-control': 'no-store' });
  try {
    await streamExport(ctx.db, { teamId, kind, format, filters: filters.data }, writer(res));
    res.end();
  } catch (err) {
    // Headers are gone: cut the body short so the client sees an incomplete download, not a clean end.
    res.destroy(err as Error);
    if (!(err instanceof Error && err.message === 'client closed the export')) throw err;
  }
}
