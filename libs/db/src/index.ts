export * from './client';
export { Prisma } from './generated/client';
