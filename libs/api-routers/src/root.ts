import { analysisRouter } from './routers/analysis';
import { authRouter } from './routers/auth';
import { keysRouter } from './routers/keys';
import { leaderboardsRouter } from './routers/leaderboards';
import { runsRouter } from './routers/runs';
import { sdkRouter } from './routers/sdk';
import { workerRouter } from './routers/worker';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  analysis: analysisRouter,
  auth: authRouter,
  keys: keysRouter,
  leaderboards: leaderboardsRouter,
  runs: runsRouter,
  sdk: sdkRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
