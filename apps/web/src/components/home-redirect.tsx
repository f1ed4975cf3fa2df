'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

import { describeError } from '@/lib/errors';
import { useTRPC } from '@/trpc/react';

/** "/" sends a user to the runs of their first team (the login page when the session is gone). */
export function HomeRedirect() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  const first = me.data?.teams[0];

  useEffect(() => {
    if (first) router.replace(`/teams/${first.slug}/runs`);
  }, [first, router]);

  if (me.isError) return <p className="error-box">Could not load your account: {describeError(me.error)}</p>;
  if (me.data && !first) return <p className="empty">You are not a member of any team yet. Ask a team owner to add you.</p>;
  return <p className="muted">Loading…</p>;
}
