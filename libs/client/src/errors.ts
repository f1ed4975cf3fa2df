import { TRPCClientError } from '@trpc/client';

import { formatIssues, type TIssue } from '@hyperzoo/schemas';

/** What the API's error formatter puts in `data` (libs/api-routers trpc.ts). */
interface TErrorData {
  code?: string;
  httpStatus?: number;
  issues?: TIssue[] | null;
}

const errorData = (err: unknown): TErrorData | undefined => (err instanceof TRPCClientError ? (err.data as TErrorData | undefined) : undefined);

/** The tRPC error code (UNAUTHORIZED, NOT_FOUND...) of a failed call, or null (not an API answer). */
export function getErrorCode(err: unknown): string | null {
  return errorData(err)?.code ?? null;
}

/** The zod issues (path + message) a refused call came back with; [] when there were none. */
export function getErrorIssues(err: unknown): TIssue[] {
  return errorData(err)?.issues ?? [];
}

/** One line for a failed call: the code, then each zod issue with its path, else the message. */
export function describeClientError(err: unknown): string {
  if (err instanceof TRPCClientError) {
    const data = errorData(err);
    const issues = getErrorIssues(err);
    return `${data?.code ?? 'ERROR'}: ${issues.length ? formatIssues(issues) : err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A non-2xx answer of the artifact route; `status` tells 4xx (do not retry) from 5xx. */
export class ArtifactHttpError extends Error {
  override name = 'ArtifactHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Network-level failures (API down, timeout) and 5xx are worth retrying; a 4xx answer is not. */
export function isRetryableClientError(err: unknown): boolean {
  if (err instanceof TRPCClientError) {
    const status = errorData(err)?.httpStatus;
    return status === undefined || status >= 500;
  }
  if (err instanceof ArtifactHttpError) return err.status >= 500;
  return true;
}
