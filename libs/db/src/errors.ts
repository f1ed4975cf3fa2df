import { Prisma } from './generated/client';

interface TDriverCause {
  kind?: string;
  code?: string;
  originalCode?: string;
}

/** What the pg driver adapter said: Prisma wraps it in a known request error for model calls, not always otherwise. */
function driverCause(err: unknown): TDriverCause | null {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    return (err.meta?.driverAdapterError as { cause?: TDriverCause } | undefined)?.cause ?? null;
  }
  if (err instanceof Error && err.name === 'DriverAdapterError' && typeof err.cause === 'object') return err.cause as TDriverCause;
  return null;
}

const prismaCode = (err: unknown) => (err instanceof Prisma.PrismaClientKnownRequestError ? err.code : null);
const sqlState = (c: TDriverCause | null) => c?.originalCode ?? c?.code ?? null;

/** Cannot reach the server, pool timeout, write conflict or deadlock. */
const NOT_RUN_PRISMA_CODES = new Set(['P1001', 'P2024', 'P2034']);
const NOT_RUN_KINDS = new Set(['DatabaseNotReachable', 'TooManyConnections', 'TransactionWriteConflict']);
/** Serialization failure and deadlock roll back; cannot_connect_now and too_many_connections refuse the connection. */
const NOT_RUN_SQLSTATES = new Set(['40001', '40P01', '57P03', '53300']);
/** The pg pool could not open a connection (in time), the server refused new ones, or pg refused a broken one. */
const NOT_RUN_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated due to connection timeout|the database system is (starting up|shutting down)|not queryable/i;

/**
 * The failure proves the statement did not run: no connection was made, or Postgres rolled
 * it back. Repeating any operation is then safe.
 */
export function isNotRunDbError(err: unknown): boolean {
  const code = prismaCode(err);
  if (code !== null && NOT_RUN_PRISMA_CODES.has(code)) return true;
  const cause = driverCause(err);
  if (cause?.kind && NOT_RUN_KINDS.has(cause.kind)) return true;
  const state = sqlState(cause);
  if (state !== null && NOT_RUN_SQLSTATES.has(state)) return true;
  return err instanceof Error && NOT_RUN_MESSAGES.test(err.message);
}

const LOST_PRISMA_CODES = new Set(['P1002', 'P1017', 'P2028']);
const LOST_KINDS = new Set(['ConnectionClosed', 'SocketTimeout']);
/** admin_shutdown, crash_shutdown and the connection_exception class 08. */
const LOST_SQLSTATE = /^(57P01|57P02|08...)$/;
const LOST_MESSAGES = /ECONNRESET|Connection terminated/i;

/**
 * Worth a retry if the operation is safe to repeat: every not-run failure, plus a connection
 * lost mid-statement, where a write may or may not have committed.
 */
export function isTransientDbError(err: unknown): boolean {
  if (isNotRunDbError(err)) return true;
  const code = prismaCode(err);
  if (code !== null && LOST_PRISMA_CODES.has(code)) return true;
  const cause = driverCause(err);
  if (cause?.kind && LOST_KINDS.has(cause.kind)) return true;
  const state = sqlState(cause);
  if (state !== null && LOST_SQLSTATE.test(state)) return true;
  return err instanceof Error && LOST_MESSAGES.test(err.message);
}
