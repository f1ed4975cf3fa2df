import { Prisma } from './generated/client';

/** Prisma error codes worth a retry: pool timeout, transaction API timeout, write conflict/deadlock. */
const TRANSIENT_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028', 'P2034']);

export function isTransientDbError(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) return TRANSIENT_CODES.has(err.code);
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i.test(message);
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
