import { describeError, getErrorCode } from '@/lib/errors';

/** A failed team query: another team's (or a missing) slug reads "not found", as the API answers both alike. */
export function TeamQueryError({ teamSlug, what, error }: { teamSlug: string; what: string; error: unknown }) {
  if (getErrorCode(error) === 'NOT_FOUND') return <p className="error-box">Team {teamSlug} was not found.</p>;
  return (
    <p className="error-box">
      Could not load {what}: {describeError(error)}
    </p>
  );
}
