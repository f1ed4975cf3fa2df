export * from './client';
export { Prisma } from './generated/client';
export { retryTransaction } from './retry';
