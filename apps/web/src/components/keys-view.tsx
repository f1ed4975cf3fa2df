'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { API_KEY_SCOPES } from '@hyperzoo/schemas';

import { ConfirmButton } from '@/components/confirm-button';
import { DataTable } from '@/components/data-table';
import { InlineForm } from '@/components/inline-form';
import { ShownOnce } from '@/components/shown-once';
import { describeError, getErrorCode } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

type TScope = (typeof API_KEY_SCOPES)[number];

/** The scopes a role may put on a key (the API checks the same rule: services/keys.ts). */
const SCOPES_OF_ROLE: Record<string, readonly TScope[]> = {
  viewer: ['runs:read'],
  member: ['runs:read', 'runs:write'],
  admin: API_KEY_SCOPES,
  owner: API_KEY_SCOPES,
};

/** API keys: create (the key is shown once), list, revoke. Everyone's own keys; an admin sees all of the team's. */
export function KeysView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { role, isAdmin } = useTeamRole(teamSlug);
  const keys = useQuery(trpc.keys.list.queryOptions({ teamSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey({ teamSlug }) });
  const create = useMutation(trpc.keys.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSettled: refresh }));

  const allowed = SCOPES_OF_ROLE[role ?? ''] ?? [];
  if (keys.isError && getErrorCode(keys.error) === 'FORBIDDEN') {
    return (
      <section>
        <h1>API keys</h1>
        <p className="error-box">{describeError(keys.error)}</p>
      </section>
    );
  }

  return (
    <section>
      <h1>API keys</h1>
      <p className="muted">
        Keys let the CLI, the SDK and workers act for this team. The secret is shown once, when the key is created.{' '}
        {isAdmin ? 'As an admin you see and revoke every key of the team.' : `These are your own keys; as ${role ?? 'a member'} you may give them ${allowed.join(' and ')}.`}
      </p>
      {/* Drawn once the role is known (its scopes are the form's choices): a form swapped under the
          user's typing would drop what was typed. A new form (empty fields) after each key created;
          a failed attempt keeps what was typed. */}
      {role === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <CreateKeyForm key={create.data?.id ?? 'new'} allowed={allowed} pending={create.isPending} error={create.isError ? describeError(create.error) : null} onCreate={(input) => create.mutate({ teamSlug, ...input })} />
      )}
      {create.data && (
        <ShownOnce secret={create.data.key} secretLabel="New API key" onDone={() => create.reset()}>
          <p>
            New key <strong>{create.data.name}</strong>. Copy it now: it will not be shown again.
          </p>
        </ShownOnce>
      )}
      <h2>Keys</h2>
      {keys.isError && <p className="error-box">Could not load the keys: {describeError(keys.error)}</p>}
      {(role === undefined || keys.isPending) && <p className="muted">Loading keys…</p>}
      {keys.data?.length === 0 && <p className="empty">No API keys yet.</p>}
      {revoke.isError && <p className="error-box">Could not revoke: {describeError(revoke.error)}</p>}
      {keys.data && keys.data.length > 0 && (
        <DataTable label="API keys" columns={['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'Expires', 'State', '']}>
          {keys.data.map((k) => (
            <tr key={k.id} data-key-id={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td className="nowrap">{formatDateTime(k.createdAt)}</td>
              <td className="nowrap">{formatDateTime(k.lastUsedAt)}</td>
              <td className="nowrap">{formatDateTime(k.expiresAt)}</td>
              <td>{k.revokedAt ? <span className="badge badge-failed">revoked</span> : <span className="badge badge-succeeded">active</span>}</td>
              <td className="nowrap">
                {!k.revokedAt && (
                  <ConfirmButton
                    action="Revoke"
                    ariaLabel={`Revoke ${k.name}`}
                    pending={revoke.isPending}
                    onConfirm={(settled) => revoke.mutate({ teamSlug, keyId: k.id }, { onSettled: settled })}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

interface TCreateInput {
  name: string;
  scopes: TScope[];
  expiresInDays?: number;
}

function CreateKeyForm({ allowed, pending, error, onCreate }: { allowed: readonly TScope[]; pending: boolean; error: string | null; onCreate: (input: TCreateInput) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TScope[]>(allowed.filter((s) => s === 'runs:read' || s === 'runs:write'));
  const [days, setDays] = useState('');

  return (
    <InlineForm
      label="Create an API key"
      submit="Create key"
      busyLabel="Creating…"
      pending={pending}
      error={error}
      onSubmit={() => onCreate({ name: name.trim(), scopes, ...(days ? { expiresInDays: Number(days) } : {}) })}
    >
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset className="field">
        <legend>Scopes</legend>
        {allowed.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))} />
            {s}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Expires after (days, empty: never)</span>
        <input name="expiresInDays" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
    </InlineForm>
  );
}
