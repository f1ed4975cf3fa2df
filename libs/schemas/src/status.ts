import { z } from 'zod';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'diverged', 'pruned'] as const;
export const ZRunStatus = z.enum(RUN_STATUSES);
export type TRunStatus = z.infer<typeof ZRunStatus>;

/** A run that may still change: waiting for a worker, or training. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly TRunStatus[];
export type TActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];
export const TERMINAL_RUN_STATUSES = ['succeeded', 'failed', 'cancelled', 'diverged', 'pruned'] as const satisfies readonly TRunStatus[];
export type TTerminalRunStatus = (typeof TERMINAL_RUN_STATUSES)[number];

export const isActiveStatus = (status: TRunStatus): status is TActiveRunStatus => (ACTIVE_RUN_STATUSES as readonly TRunStatus[]).includes(status);
export const isTerminalStatus = (status: TRunStatus): status is TTerminalRunStatus => !isActiveStatus(status);
