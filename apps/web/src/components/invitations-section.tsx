'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { ROLES } from '@hyperzoo/schemas';
import type { TRoleName } from '@hyperzoo/schemas';

import { DataTable } from '@/components/data-table';
import { InlineForm } from '@/components/inline-form';
import { ShownOnce } from '@/components/shown-once';
import { describeError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

/** Invitations of a team, for its admins: create (the link is shown once), pending ones, revoke. */
export function InvitationsSection({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitations.list.queryOptions({ teamSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey({ teamSlug }) });
  const create = useMutation(trpc.invitations.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions({ onSettled: refresh }));
  const pending = invitations.data?.filter((i) => i.status === 'pending');
  const link = create.data ? `${window.location.origin}/join?token=${encodeURIComponent(create.data.token)}` : null;

  return (
    <>
      <h2>Invitations</h2>
      <InviteForm
        key={create.data?.id ?? 'new'}
        pending={create.isPending}
        error={create.isError ? describeError(create.error) : null}
        onCreate={(input) => create.mutate({ teamSlug, ...input })}
      />
      {create.data && link && (
        <ShownOnce
          secret={link}
          secretLabel="Invitation link"
          note={
            <p className="muted">
              Or with the CLI: <code>hz join {create.data.token}</code>
            </p>
          }
          onDone={() => create.reset()}
        >
          <p>
            Invitation for <strong>{create.data.invitee}</strong> as {create.data.role}. Send this link now: it will not be shown again.
          </p>
        </ShownOnce>
      )}
      <h3>Pending</h3>
      {invitations.isError && <p className="error-box">Could not load the invitations: {describeError(invitations.error)}</p>}
      {invitations.isPending && <p className="muted">Loading invitations…</p>}
      {pending?.length === 0 && <p className="empty">No pending invitations.</p>}
      {revoke.isError && <p className="error-box">Could not revoke: {describeError(revoke.error)}</p>}
      {pending && pending.length > 0 && (
        <DataTable label="Pending invitations" columns={['Invitee', 'Role', 'Created', 'Expires', '']}>
          {pending.map((i) => (
            <tr key={i.id} data-invitation={i.invitee}>
              <td>{i.invitee}</td>
              <td>{i.role}</td>
              <td className="nowrap">{formatDateTime(i.createdAt)}</td>
              <td className="nowrap">{formatDateTime(i.expiresAt)}</td>
              <td>
                <button
                  type="button"
                  className="button button-compact"
                  aria-label={`Revoke the invitation for ${i.invitee}`}
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate({ teamSlug, invitationId: i.id })}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

function InviteForm({ pending, error, onCreate }: { pending: boolean; error: string | null; onCreate: (input: { invitee: string; role: TRoleName; expiresInDays: number }) => void }) {
  const [invitee, setInvitee] = useState('');
  const [role, setRole] = useState<TRoleName>('member');
  const [days, setDays] = useState('7');

  return (
    <InlineForm
      label="Invite someone"
      submit="Create invitation"
      busyLabel="Inviting…"
      pending={pending}
      error={error}
      onSubmit={() => onCreate({ invitee: invitee.trim(), role, expiresInDays: Number(days) })}
    >
      <label className="field">
        <span>Invitee (email or name)</span>
        <input name="invitee" required maxLength={320} value={invitee} onChange={(e) => setInvitee(e.target.value)} />
      </label>
      <label className="field">
        <span>Role</span>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as TRoleName)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Expires after (days)</span>
        <input name="expiresInDays" type="number" min={1} max={90} required value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
    </InlineForm>
  );
}
