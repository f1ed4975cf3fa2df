import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import type { Logger } from 'pino';
import { z } from 'zod';

import { checkArtifactUpload, DomainError, findArtifactForDownload, recordArtifact, requireWorkerScope, resolvePrincipal } from '@hyperzoo/api-routers';
import { ArtifactRejectedError, artifactKey } from '@hyperzoo/artifact-store';
import type { ArtifactStore } from '@hyperzoo/artifact-store';
import type { DbClient } from '@hyperzoo/db';
import { ARTIFACT_EPOCH_HEADER, ARTIFACT_ROUTE, ARTIFACT_SHA256_HEADER, ZArtifactKind, ZArtifactSelector } from '@hyperzoo/schemas';

const STATUS: Record<DomainError['code'], number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const zEpoch = z.coerce.number().int().min(1).max(1_000_000);
const ZTarget = z.object({ runId: z.uuid(), selector: ZArtifactSelector, epoch: zEpoch.nullable() });
const ZUpload = z.object({
  kind: ZArtifactKind,
  attempt: z.coerce.number().int().min(1).max(2_147_483_647),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
  bytes: z.coerce.number().int().min(1),
  best: z.literal('1').optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new HttpError(400, `${issue?.path.join('.') || '(request)'}: ${issue?.message}`);
}

/** `/artifacts/<runId>/<kind|latest>?epoch=N&attempt=N` */
function parseTarget(req: IncomingMessage) {
  const url = new URL(req.url ?? '/', 'http://api');
  const [runId, selector, ...rest] = url.pathname.slice(ARTIFACT_ROUTE.length + 1).split('/');
  if (rest.length) throw new HttpError(404, 'no such artifact route');
  const epoch = url.searchParams.get('epoch');
  return { url, ...parse(ZTarget, { runId, selector, epoch }) };
}

export interface TArtifactRouteDeps {
  db: DbClient;
  store: ArtifactStore;
  maxBytes: number;
  /** HZ_PLATFORM_POOL_TEAM's id: its workers also serve the teams in the pool. */
  platformPoolTeamId: string | null;
  log: Logger;
}

/**
 * The artifact route beside tRPC (like MLflow's proxied artifact mode): PUT streams a worker's
 * checkpoint or model into the store, verified against its announced SHA-256 and size before it
 * counts; GET streams one back to a worker of the run's team or a member of it. Store keys come
 * from run id + kind + epoch only.
 */
export function createArtifactRoute(deps: TArtifactRouteDeps) {
  const { db, store, log } = deps;

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await resolvePrincipal(db, req.headers);
    if (!principal) throw new HttpError(401, 'send a worker token (Authorization: Bearer hz_...)');
    const scope = requireWorkerScope(principal, deps.platformPoolTeamId);
    const { url, runId, selector, epoch } = parseTarget(req);
    const { kind, attempt, sha256, bytes, best } = parse(ZUpload, {
      kind: selector,
      attempt: url.searchParams.get('attempt') ?? undefined,
      sha256: req.headers[ARTIFACT_SHA256_HEADER],
      bytes: req.headers['content-length'],
      best: url.searchParams.get('best') ?? undefined,
    });
    if ((kind === 'checkpoint') !== (epoch !== null)) throw new HttpError(400, 'epoch: a checkpoint needs one; best and model take none');
    const alsoBest = best !== undefined;
    if (alsoBest && kind !== 'checkpoint') throw new HttpError(400, 'best: only a checkpoint can also be the best one');
    if (bytes > deps.maxBytes) throw new HttpError(413, `artifact of ${bytes} bytes is over the limit of ${deps.maxBytes} (HZ_ARTIFACT_MAX_BYTES)`);
    await checkArtifactUpload(db, scope, { runId, attempt });
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
    const key = artifactKey({ runId, kind, epoch });
    await store.put(key, req, { sha256, bytes });
    // The best checkpoint is copied inside the store rather than uploaded a second time.
    const bestKey = alsoBest ? artifactKey({ runId, kind: 'best', epoch: null }) : null;
    if (bestKey) await store.copy(key, bestKey);
    await recordArtifact(db, scope, { runId, attempt, kind, epoch, path: key, bytes, sha256, bestPath: bestKey });
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ kind, epoch, bytes, sha256, ...(alsoBest ? { best: true } : {}) }));
  }

  async function download(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await resolvePrincipal(db, req.headers);
    if (!principal) throw new HttpError(401, 'log in or send an API key (Authorization: Bearer hz_...)');
    const { runId, selector, epoch } = parseTarget(req);
    const artifact = await findArtifactForDownload(db, principal, { runId, selector, epoch }, deps.platformPoolTeamId);
    const stored = await store.get(artifactKey({ runId, kind: artifact.kind, epoch: artifact.epoch }));
    if (!stored) throw new HttpError(404, `run ${runId}: the ${artifact.kind} artifact was recorded but its content is not in the store`);
    const name = `${runId}-${artifact.kind}${artifact.epoch === null ? '' : `-${artifact.epoch}`}.tar`;
    res.writeHead(200, {
      'content-type': 'application/x-tar',
      'content-length': stored.bytes,
      'content-disposition': `attachment; filename="${name}"`,
      [ARTIFACT_SHA256_HEADER]: artifact.sha256,
      ...(artifact.epoch === null ? {} : { [ARTIFACT_EPOCH_HEADER]: String(artifact.epoch) }),
    });
    await pipeline(stored.body, res);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = String(req.headers['x-request-id'] ?? '');
    try {
      if (req.method === 'PUT') await upload(req, res);
      else if (req.method === 'GET') await download(req, res);
      else throw new HttpError(405, 'use GET to download or PUT to upload');
    } catch (err) {
      if (res.headersSent) {
        log.warn({ requestId, err: (err as Error).message }, 'artifact transfer broke off');
        res.destroy();
        return;
      }
      let status = 500;
      let message = `internal error; request id ${requestId}`;
      if (err instanceof HttpError) [status, message] = [err.status, err.message];
      else if (err instanceof DomainError) [status, message] = [STATUS[err.code], err.message];
      else if (err instanceof ArtifactRejectedError) [status, message] = [422, err.message];
      else log.error({ requestId, err }, 'artifact request failed');
      // An unread upload body is not worth reading: answer and close the connection.
      if (!req.complete) res.setHeader('connection', 'close');
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: message, requestId }));
      if (!req.complete) req.resume();
    }
  };
}
