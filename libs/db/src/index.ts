export * from './client';
export type { RetryPolicy } from './retry';
export { Prisma } from './generated/client';
export type { Run, EpochMetric, Team, User, Project, ApiKey, Worker, Sweep, Artifact, Membership } from './generated/client';
export { RunStatus, Role, ResourceClass, MetricPhase, SweepMethod, SweepStatus } from './generated/enums';
