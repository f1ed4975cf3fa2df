'use client';

import { useQuery } from '@tanstack/react-query';

import { useTRPC } from '@/trpc/react';

const ADMIN_ROLES = new Set(['owner', 'admin']);

/**
 * The signed-in user's role in a team (auth.me, shared with the header), undefined while loading.
 * Only for what to show: the API checks every call itself.
 */
export function useTeamRole(teamSlug: string): { role: string | undefined; isAdmin: boolean } {
  const trpc = useTRPC();
  const role = useQuery(trpc.auth.me.queryOptions()).data?.teams.find((t) => t.slug === teamSlug)?.role;
  return { role, isAdmin: role !== undefined && ADMIN_ROLES.has(role) };
}
