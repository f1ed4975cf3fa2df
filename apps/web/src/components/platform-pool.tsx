'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { describeError } from '@/lib/errors';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

/** Which workers take the team's runs: its own, or the platform pool's; admins switch it (teams.setPlatformPool). */
export function PlatformPool({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin } = useTeamRole(teamSlug);
  const team = useQuery(trpc.teams.get.queryOptions({ teamSlug }));
  const set = useMutation(
    trpc.teams.setPlatformPool.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.teams.get.queryKey({ teamSlug }) }),
    }),
  );
  if (!team.data || team.data.platformPool === 'none') return null;
  if (team.data.platformPool === 'this-team') {
    return <p className="muted" data-testid="platform-pool">This team is the platform pool: its workers also train the runs of the teams that opted in.</p>;
  }
  const uses = team.data.usesPlatformPool;
  return (
    <p className="muted" data-testid="platform-pool">
      {uses ? 'The platform pool’s workers take this team’s runs.' : 'This team’s own workers take its runs; the platform also has a shared pool.'}{' '}
      {isAdmin && (
        <button type="button" className="button button-compact" disabled={set.isPending} onClick={() => set.mutate({ teamSlug, enabled: !uses })}>
          {uses ? 'Use our own workers' : 'Use the platform pool'}
        </button>
      )}
      {set.isError && <span className="form-error"> {describeError(set.error)}</span>}
      {set.data && set.data.moved > 0 && <span> {`${set.data.moved} waiting run${set.data.moved === 1 ? '' : 's'} moved.`}</span>}
    </p>
  );
}
