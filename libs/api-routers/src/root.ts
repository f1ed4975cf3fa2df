import { analysisRouter } from './routers/analysis';
import { authRouter } from './routers/auth';
import { keysRouter } from './routers/keys';
import { runsRouter } from './routers/runs';
import { sdkRouter } from './routers/sdk';
import { sweepsRouter } from './routers/sweeps';
import { workerRouter } from './routers/worker';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  analysis: analysisRouter,
  auth: authRouter,
  keys: keysRouter,
  runs: runsRouter,
  sdk: sdkRouter,
  sweeps: sweepsRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
