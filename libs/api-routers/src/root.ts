import { analysisRouter } from './routers/analysis';
import { artifactsRouter } from './routers/artifacts';
import { authRouter } from './routers/auth';
import { keysRouter } from './routers/keys';
import { runsRouter } from './routers/runs';
import { sdkRouter } from './routers/sdk';
import { workerRouter } from './routers/worker';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  analysis: analysisRouter,
  artifacts: artifactsRouter,
  auth: authRouter,
  keys: keysRouter,
  runs: runsRouter,
  sdk: sdkRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
