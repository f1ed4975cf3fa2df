'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';

import { describeError, getErrorCode } from '@/lib/errors';
import { useTRPC } from '@/trpc/react';

/** An invitation link (`/join?token=hzi_...`): a logged-in user accepts it; anyone else logs in or signs up first. */
export function JoinTeam() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const token = useSearchParams().get('token') ?? '';
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: async (out) => {
        await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        router.replace(`/teams/${encodeURIComponent(out.teamSlug)}/runs`);
      },
    }),
  );
  const here = `/join?token=${encodeURIComponent(token)}`;

  if (!token) return <p className="error-box">This invitation link has no token. Ask for the whole link again.</p>;
  const isLoggedOut = accept.isError && getErrorCode(accept.error) === 'UNAUTHORIZED';
  return (
    <section aria-label="Invitation">
      <h2>You are invited to a team</h2>
      <p className="muted">Accepting adds the team to your account with the role the invitation gives.</p>
      {isLoggedOut ? (
        <p role="alert">
          Log in first: <Link href={`/login?next=${encodeURIComponent(here)}`}>Log in</Link> or{' '}
          <Link href={`/signup?invitation=${encodeURIComponent(token)}`}>create an account</Link> with this invitation.
        </p>
      ) : (
        accept.isError && (
          <p className="form-error" role="alert">
            {getErrorCode(accept.error) === 'NOT_FOUND' ? 'This invitation is not valid any more (used, revoked or expired).' : describeError(accept.error)}
          </p>
        )
      )}
      <button className="button button-primary" type="button" onClick={() => accept.mutate({ token })} disabled={accept.isPending || accept.isSuccess}>
        {accept.isPending || accept.isSuccess ? 'Joining…' : 'Accept invitation'}
      </button>
    </section>
  );
}
