import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { pino } from 'pino';
import type { Logger } from 'pino';

import { createArtifactStore } from '@hyperzoo/artifact-store';
import {
  appRouter,
  createContext,
  createLiveHub,
  createLoginLimiter,
  handleExportRequest,
  isExportRequest,
  platformPoolRoute,
  reconcileQueuedRuns,
  resolvePlatformPoolTeam,
} from '@hyperzoo/api-routers';
import type { LiveHub } from '@hyperzoo/api-routers';
import { createDb } from '@hyperzoo/db';
import type { DbClient } from '@hyperzoo/db';
import { createPredictQueues, createRedis, createTrainQueues } from '@hyperzoo/queue';
import { ARTIFACT_ROUTE, redactUrl } from '@hyperzoo/schemas';

import { createArtifactRoute } from './artifacts-route';
import type { TApiEnv } from './env';
import { checkMutationRequest } from './http-guards';

type TReconcileResult = Awaited<ReturnType<typeof reconcileQueuedRuns>>;

export interface ApiServer {
  server: Server;
  url: string;
  db: DbClient;
  live: LiveHub;
  reconcileNow(): Promise<TReconcileResult>;
  close(): Promise<void>;
}

/** Fails with one line naming the variable when Postgres cannot be reached. */
async function checkDatabase(db: DbClient, url: string): Promise<void> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
  } catch (err) {
    const text = (err as Error).message;
    // Prisma wraps the driver's words as "... Message: `<reason>`"; keep only the reason.
    const reason = /Message: `([^`]+)`/.exec(text)?.[1] ?? text.split('\n').filter(Boolean).at(-1) ?? String(err);
    throw new Error(`hyperzoo api: cannot reach Postgres at ${redactUrl(url)} (DATABASE_URL): ${reason}`);
  }
}

export async function startApiServer(env: TApiEnv, log: Logger = pino({ level: env.LOG_LEVEL })): Promise<ApiServer> {
  const db = createDb(env.DATABASE_URL, { poolSize: env.HZ_DB_POOL_SIZE });
  await checkDatabase(db, env.DATABASE_URL);
  const redis = createRedis(env.REDIS_URL, 'producer');
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const platformPoolTeamId = await resolvePlatformPoolTeam(db, env.HZ_PLATFORM_POOL_TEAM);
  const route = platformPoolRoute(db, platformPoolTeamId);
  const queues = createTrainQueues(redis, env.HZ_QUEUE_PREFIX, route);
  const loginLimiter = createLoginLimiter(
    redis,
    { perAccount: env.HZ_LOGIN_MAX_PER_ACCOUNT, perIp: env.HZ_LOGIN_MAX_PER_IP, windowSec: env.HZ_LOGIN_WINDOW_SEC },
    env.HZ_QUEUE_PREFIX,
  );
  // One subscriber for the whole process; subscriptions fan out from it in memory.
  const subscriber = createRedis(env.REDIS_URL, 'subscriber');
  subscriber.on('error', (err) => log.warn({ err: err.message }, 'redis subscriber error'));
  const live = createLiveHub({ subscriber, publisher: redis, db, prefix: env.HZ_QUEUE_PREFIX, onError: (err) => log.warn({ err: err.message }, 'live event dropped') });
  const predictions = createPredictQueues(redis, env.HZ_QUEUE_PREFIX, route);
  const deps = { db, queues, predictions, predictTimeoutMs: env.HZ_PREDICT_TIMEOUT_MS, live, loginLimiter, policy: { signUp: env.HZ_SIGN_UP, modelUrlPrefixes: env.HZ_MODEL_URL_ALLOWLIST, platformPoolTeamId } };

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req, res }) =>
      createContext(
        deps,
        { headers: { authorization: req.headers.authorization, cookie: req.headers.cookie, requestId: String(req.headers['x-request-id'] ?? '') || null }, ip: req.socket.remoteAddress ?? null },
        (k, v) => res.appendHeader(k, v),
        {
          secureCookies: env.SECURE_COOKIES,
        },
      ),
    // A 50 MB body or a thousand calls in one POST are refused before anything is parsed or run.
    maxBodySize: env.HZ_MAX_BODY_BYTES,
    maxBatchSize: env.HZ_MAX_BATCH_SIZE,
    onError: ({ error, path, req }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ path, requestId: req.headers['x-request-id'], err: error.cause ?? error }, 'procedure failed');
    },
  });
  const artifacts = createArtifactRoute({ db, store: createArtifactStore(env), maxBytes: env.HZ_ARTIFACT_MAX_BYTES, platformPoolTeamId, log });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // Every answer carries the id its log lines carry, so a user's report can be found.
    const requestId = randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (req.url?.startsWith('/trpc/')) {
      const refusal = checkMutationRequest(req, env.HZ_ALLOWED_ORIGINS);
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: refusal.message, requestId }));
        return;
      }
      return trpc(req, res);
    }
    if (req.url?.startsWith(`${ARTIFACT_ROUTE}/`)) return void artifacts(req, res);
    if (isExportRequest(req.url)) {
      void createContext(deps, { headers: { authorization: req.headers.authorization, cookie: req.headers.cookie, requestId }, ip: null }, () => undefined)
        .then((ctx) => handleExportRequest(ctx, req, res))
        .catch((err: unknown) => {
          log.error({ requestId, err }, 'export failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `internal error; request id ${requestId}` }));
        });
      return;
    }
    res.writeHead(404).end();
  };
  const server = createServer(handle);
  // Artifact uploads send `Expect: 100-continue`; the route answers it once the upload is allowed.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(`${ARTIFACT_ROUTE}/`)) res.writeContinue();
    handle(req, res);
  });

  let reconciling: Promise<TReconcileResult> | null = null;
  const reconcileNow = () =>
    (reconciling ??= reconcileQueuedRuns(deps)
      .then((r) => {
        if (r.enqueued || r.orphaned || r.exhausted) log.info(r, 'reconciler re-enqueued runs (or failed those out of attempts)');
        return r;
      })
      .finally(() => {
        reconciling = null;
      }));
  const timer = setInterval(() => void reconcileNow().catch((err: Error) => log.warn({ err: err.message }, 'reconcile failed')), env.RECONCILE_INTERVAL_MS);
  timer.unref();
  // Every Redis (re)connect may follow a restart that lost queued jobs.
  redis.on('ready', () => void reconcileNow().catch((err: Error) => log.warn({ err: err.message }, 'reconcile failed')));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.API_PORT, env.API_HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.API_PORT;
  const url = `http://${env.API_HOST}:${port}`;
  log.info({ url }, 'hyperzoo api listening');

  let closing: Promise<void> | null = null;
  return {
    server,
    url,
    db,
    live,
    reconcileNow,
    close: () =>
      (closing ??= (async () => {
        clearInterval(timer);
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await queues.close();
        await predictions.close();
        await live.close();
        subscriber.disconnect();
        redis.disconnect();
        await db.$disconnect();
      })()),
  };
}
