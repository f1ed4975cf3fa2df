import { analysisRouter } from './routers/analysis';
import { artifactsRouter } from './routers/artifacts';
import { authRouter } from './routers/auth';
import { keysRouter } from './routers/keys';
import { invitationsRouter, membersRouter } from './routers/members';
import { projectsRouter } from './routers/projects';
import { liveRouter } from './routers/live';
import { leaderboardsRouter } from './routers/leaderboards';
import { runsRouter } from './routers/runs';
import { sdkRouter } from './routers/sdk';
import { sweepsRouter } from './routers/sweeps';
import { teamsRouter } from './routers/teams';
import { workerRouter } from './routers/worker';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  analysis: analysisRouter,
  artifacts: artifactsRouter,
  auth: authRouter,
  invitations: invitationsRouter,
  keys: keysRouter,
  members: membersRouter,
  projects: projectsRouter,
  live: liveRouter,
  leaderboards: leaderboardsRouter,
  runs: runsRouter,
  sdk: sdkRouter,
  sweeps: sweepsRouter,
  teams: teamsRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
