'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';

import { describeError, getErrorCode } from '@/lib/errors';
import { useTRPC } from '@/trpc/react';

const CLOSED = 'Sign-up is turned off on this server. Ask a team admin for an invitation link.';

/**
 * auth.signUp: a new user and their own team, logged in. When the operator turned sign-up off
 * (HZ_SIGN_UP=false) the API refuses unless an invitation token comes along (?invitation=); the
 * page asks auth.policy first and says so instead of showing a form that cannot succeed.
 */
export function SignUpForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const invitation = useSearchParams().get('invitation');
  const policy = useQuery({ ...trpc.auth.policy.queryOptions(), enabled: !invitation });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [teamSlug, setTeamSlug] = useState('');
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: (out) => {
        queryClient.clear();
        router.replace(`/teams/${encodeURIComponent(out.teamSlug)}/runs`);
      },
    }),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    signUp.mutate({
      email: email.trim(),
      name: name.trim(),
      password,
      ...(teamSlug.trim() && !invitation ? { teamSlug: teamSlug.trim() } : {}),
      ...(invitation ? { invitationToken: invitation } : {}),
    });
  }

  // Not known yet: no form that may vanish a moment later. Not readable: the form, and the API decides.
  if (!invitation && policy.isPending) return null;
  if (!invitation && policy.data?.signUp === false) {
    return (
      <section aria-label="Sign-up closed">
        <p className="error-box">{CLOSED}</p>
      </section>
    );
  }
  // The operator may close sign-up after the page was loaded.
  const isClosed = signUp.isError && getErrorCode(signUp.error) === 'FORBIDDEN';
  return (
    <form className="form" method="post" onSubmit={submit} aria-label="Sign up">
      {invitation && <p className="muted">You were invited to a team: your new account joins it.</p>}
      <label className="field">
        <span>Email</span>
        <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="field">
        <span>Name</span>
        <input name="name" autoComplete="name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Password (at least 10 characters)</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {!invitation && (
        <label className="field">
          <span>Team slug (optional; default from your email)</span>
          <input name="teamSlug" maxLength={64} value={teamSlug} onChange={(e) => setTeamSlug(e.target.value)} />
        </label>
      )}
      {signUp.isError && (
        <p className="form-error" role="alert">
          {isClosed ? CLOSED : describeError(signUp.error)}
        </p>
      )}
      <button className="button button-primary" type="submit" disabled={signUp.isPending || signUp.isSuccess}>
        {signUp.isPending || signUp.isSuccess ? 'Creating account…' : 'Sign up'}
      </button>
    </form>
  );
}
