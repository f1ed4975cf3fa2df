'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { ROLES } from '@hyperzoo/schemas';
import type { TMember, TRoleName } from '@hyperzoo/schemas';

import { ConfirmButton } from '@/components/confirm-button';
import { DataTable } from '@/components/data-table';
import { FormError } from '@/components/inline-form';
import { InvitationsSection } from '@/components/invitations-section';
import { TeamQueryError } from '@/components/team-not-found';
import { describeError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

/** A team's members (everyone sees them; admins change roles and remove) and, for admins, its invitations. */
export function MembersView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const { isAdmin } = useTeamRole(teamSlug);
  const members = useQuery(trpc.members.list.queryOptions({ teamSlug }));
  const me = useQuery(trpc.auth.me.queryOptions()).data?.user?.id;

  return (
    <section>
      <h1>Members</h1>
      <p className="muted">Owners manage everything, admins manage members, keys and projects, members run experiments, viewers only look.</p>
      {members.isError && <TeamQueryError teamSlug={teamSlug} what="the members" error={members.error} />}
      {members.isPending && <p className="muted">Loading members…</p>}
      {members.data && (
        <DataTable label="Members" columns={['Name', 'Email', 'Role', 'Joined', isAdmin && '']}>
          {members.data.map((m) => (
            <MemberRow key={m.userId} teamSlug={teamSlug} member={m} isAdmin={isAdmin} isMe={m.userId === me} />
          ))}
        </DataTable>
      )}
      {isAdmin && <InvitationsSection teamSlug={teamSlug} />}
    </section>
  );
}

function MemberRow({ teamSlug, member: m, isAdmin, isMe }: { teamSlug: string; member: TMember; isAdmin: boolean; isMe: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Roles change what the header and the nav show (auth.me), so both lists reload.
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ teamSlug }) });
    await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
  };
  const setRole = useMutation(trpc.members.setRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSettled: refresh }));
  const error = setRole.error ?? remove.error;

  return (
    <tr data-member={m.email}>
      <td>
        {m.name}
        {isMe && <span className="muted"> (you)</span>}
      </td>
      <td>{m.email}</td>
      <td>
        {isAdmin ? (
          <select
            aria-label={`Role of ${m.email}`}
            value={m.role}
            disabled={setRole.isPending}
            onChange={(e) => setRole.mutate({ teamSlug, userId: m.userId, role: e.target.value as TRoleName })}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          m.role
        )}
      </td>
      <td className="nowrap">{formatDateTime(m.joinedAt)}</td>
      {isAdmin && (
        <td className="nowrap">
          <ConfirmButton action="Remove" ariaLabel={`Remove ${m.email}`} pending={remove.isPending} onConfirm={(settled) => remove.mutate({ teamSlug, userId: m.userId }, { onSettled: settled })} />
          {error && <FormError message={describeError(error)} />}
        </td>
      )}
    </tr>
  );
}
