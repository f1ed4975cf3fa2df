'use client';

import { useQuery } from '@tanstack/react-query';

import { useTRPC } from '@/trpc/react';

const ADMIN_ROLES = new Set(['owner', 'admin']);
const WRITER_ROLES = new Set(['owner', 'admin', 'member']);

/**
 * The signed-in user's role in a team (auth.me, shared with the header), undefined while loading.
 * Only for what to show: the API checks every call itself. isMember: may change runs, projects and pins.
 */
export function useTeamRole(teamSlug: string): { role: string | undefined; isAdmin: boolean; isMember: boolean } {
  const trpc = useTRPC();
  const role = useQuery(trpc.auth.me.queryOptions()).data?.teams.find((t) => t.slug === teamSlug)?.role;
  return { role, isAdmin: role !== undefined && ADMIN_ROLES.has(role), isMember: role !== undefined && WRITER_ROLES.has(role) };
}

/**
 * May the user change things on a page of an unknown team (a run page opened without ?team=)?
 * Only when they are at least a member somewhere; a user who only views stays without controls.
 */
export function useIsMemberOf(teamSlug: string | null): boolean {
  const trpc = useTRPC();
  const teams = useQuery(trpc.auth.me.queryOptions()).data?.teams ?? [];
  const relevant = teamSlug === null ? teams : teams.filter((t) => t.slug === teamSlug);
  return relevant.some((t) => WRITER_ROLES.has(t.role));
}
