export * from './client';
export * from './errors';
export { Prisma } from './generated/client';
