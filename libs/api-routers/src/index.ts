export { appRouter } from './root';
export type { AppRouter } from './root';
export { createContext } from './context';
export * as auth from './services/auth';
export { reconcileQueuedRuns } from './services/reconcile';
export { createTeamWithOwner } from './services/teams';
