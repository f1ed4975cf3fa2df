export { appRouter } from './root';
export type { AppRouter } from './root';
export { createContext } from './context';
export * as auth from './services/auth';
export { createLoginLimiter } from './services/login-limit';
export { reconcileQueuedRuns } from './services/reconcile';
export { createTeamWithOwner } from './services/teams';
export { handleExportRequest, isExportRequest } from './export-route';
