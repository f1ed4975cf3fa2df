export { appRouter, createCaller } from './root';
export type { AppRouter } from './root';
export { createContext } from './context';
export * as auth from './services/auth';
export { createLiveHub } from './services/live-hub';
export type { LiveHub } from './services/live-hub';
export { createLoginLimiter } from './services/login-limit';
export { reconcileQueuedRuns } from './services/reconcile';
export { createTeamWithOwner } from './services/teams';
