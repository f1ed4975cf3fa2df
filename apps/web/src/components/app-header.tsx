'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams, useSearchParams } from 'next/navigation';

import { SectionNav } from '@/components/section-nav';
import { useTRPC } from '@/trpc/react';

export function AppHeader() {
  const trpc = useTRPC();
  // The team of the page: /teams/[team]/..., or ?team= on a run page.
  const params = useParams<{ team?: string }>();
  const searchParams = useSearchParams();
  const activeTeam = params.team ?? searchParams.get('team');
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      // A full page load rather than clearing the cache in place: cleared queries of the still
      // mounted page would refetch with the dead session (401s), and nothing of it stays in memory.
      onSettled: () => window.location.replace('/login'),
    }),
  );

  return (
    <>
      <header className="app-header">
        <Link href="/" className="brand">
          Hyperzoo
        </Link>
        <nav className="team-nav" aria-label="Teams">
          {me.data?.teams.map((t) => (
            <Link key={t.slug} href={`/teams/${t.slug}/runs`} className={t.slug === activeTeam ? 'team-link active' : 'team-link'}>
              {t.name}
            </Link>
          ))}
        </nav>
        <div className="user">
          {me.data?.user && <span className="muted">{me.data.user.email}</span>}
          <button className="button" type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </button>
        </div>
      </header>
      {activeTeam && <SectionNav teamSlug={activeTeam} />}
    </>
  );
}
