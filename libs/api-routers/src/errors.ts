import type { TIssue } from '@hyperzoo/schemas';

/** Service-level error; the tRPC layer maps `code` to an HTTP status. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'BAD_REQUEST' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'TOO_MANY_REQUESTS',
    message: string,
    /** What exactly is wrong with the input, by path (a sweep spec's issues, with line and column for YAML). */
    readonly issues?: (TIssue & { line?: number; column?: number })[],
  ) {
    super(message);
  }
}
