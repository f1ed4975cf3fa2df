import { analysisRouter } from './routers/analysis';
import { authRouter } from './routers/auth';
import { runsRouter } from './routers/runs';
import { workerRouter } from './routers/worker';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  analysis: analysisRouter,
  auth: authRouter,
  runs: runsRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
