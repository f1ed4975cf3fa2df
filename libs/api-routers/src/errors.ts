/** Service-level error; the tRPC layer maps `code` to an HTTP status. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'BAD_REQUEST' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'TOO_MANY_REQUESTS',
    message: string,
  ) {
    super(message);
  }
}
