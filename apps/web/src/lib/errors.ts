import { TRPCClientError } from '@trpc/client';

import { getErrorIssues } from '@hyperzoo/client/errors';

export { getErrorCode } from '@hyperzoo/client/errors';

/** One readable sentence for a failed call: zod issues with their field, else the server's message. */
export function describeError(err: unknown): string {
  if (err instanceof TRPCClientError) {
    const issues = getErrorIssues(err);
    if (issues.length) return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    if (err.data === undefined) return `cannot reach the API (${err.message})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
