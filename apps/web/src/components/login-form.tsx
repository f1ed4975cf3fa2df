'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';

import { describeError } from '@/lib/errors';
import { safeNextPath } from '@/lib/safe-next';
import { useTRPC } from '@/trpc/react';

export function LoginForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.replace(next);
      },
    }),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    login.mutate({ email: email.trim(), password });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Log in">
      <label className="field">
        <span>Email</span>
        <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {login.isError && (
        <p className="form-error" role="alert">
          {describeError(login.error)}
        </p>
      )}
      <button className="button button-primary" type="submit" disabled={login.isPending || login.isSuccess}>
        {login.isPending || login.isSuccess ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
