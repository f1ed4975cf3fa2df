import { TRPCClientError } from '@trpc/client';

interface TErrorData {
  code?: string;
  httpStatus?: number;
  issues?: { path: string; message: string }[] | null;
}

/** The tRPC error code (UNAUTHORIZED, NOT_FOUND...) of a failed call, or null. */
export function getErrorCode(err: unknown): string | null {
  return err instanceof TRPCClientError ? ((err.data as TErrorData | undefined)?.code ?? null) : null;
}

/** One readable sentence for a failed call: zod issues with their field, else the server's message. */
export function describeError(err: unknown): string {
  if (err instanceof TRPCClientError) {
    const data = err.data as TErrorData | undefined;
    if (data?.issues?.length) return data.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    if (data === undefined) return `cannot reach the API (${err.message})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
