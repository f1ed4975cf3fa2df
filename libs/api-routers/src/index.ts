export { appRouter, createCaller } from './root';
export type { AppRouter } from './root';
export { createContext } from './context';
export type { Context } from './trpc';
export { DomainError } from './errors';
export * as auth from './services/auth';
export { reconcileQueuedRuns } from './services/reconcile';
export { createTeamWithOwner } from './services/teams';
