'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';

import { DataTable } from '@/components/data-table';
import { InlineForm } from '@/components/inline-form';
import { TeamQueryError } from '@/components/team-not-found';
import { describeError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

/** A team's projects: members create them, admins archive (an archived project keeps its runs and takes no new ones). */
export function ProjectsView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin, isMember } = useTeamRole(teamSlug);
  const projects = useQuery(trpc.projects.list.queryOptions({ teamSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.projects.list.queryKey({ teamSlug }) });
  const create = useMutation(trpc.projects.create.mutationOptions({ onSuccess: refresh }));
  const archive = useMutation(trpc.projects.archive.mutationOptions({ onSettled: refresh }));
  const team = `/teams/${encodeURIComponent(teamSlug)}`;

  return (
    <section>
      <h1>Projects</h1>
      {isMember && (
        <CreateProjectForm
          key={create.data?.slug ?? 'new'}
          pending={create.isPending}
          error={create.isError ? describeError(create.error) : null}
          onCreate={(input) => create.mutate({ teamSlug, ...input })}
        />
      )}
      {create.data && (
        <p role="status">
          Created project <Link href={`${team}/runs?project=${encodeURIComponent(create.data.slug)}`}>{create.data.name}</Link>.
        </p>
      )}
      {projects.isError && <TeamQueryError teamSlug={teamSlug} what="the projects" error={projects.error} />}
      {projects.isPending && <p className="muted">Loading projects…</p>}
      {archive.isError && <p className="error-box">Could not change the project: {describeError(archive.error)}</p>}
      {projects.data?.length === 0 && <p className="empty">No projects yet.</p>}
      {projects.data && projects.data.length > 0 && (
        <DataTable label="Projects" columns={['Name', 'Slug', 'Runs', 'Created', 'State', isAdmin && '']}>
          {projects.data.map((p) => (
            <tr key={p.slug} data-project={p.slug}>
              <td>
                <Link href={`${team}/runs?project=${encodeURIComponent(p.slug)}`}>{p.name}</Link>
              </td>
              <td>
                <code>{p.slug}</code>
              </td>
              <td>{p.runCount}</td>
              <td className="nowrap">{formatDateTime(p.createdAt)}</td>
              <td>{p.archived ? <span className="badge badge-cancelled">archived</span> : <span className="badge badge-succeeded">active</span>}</td>
              {isAdmin && (
                <td>
                  <button
                    type="button"
                    className="button button-compact"
                    disabled={archive.isPending}
                    aria-label={`${p.archived ? 'Unarchive' : 'Archive'} ${p.slug}`}
                    onClick={() => archive.mutate({ teamSlug, projectSlug: p.slug, archived: !p.archived })}
                  >
                    {p.archived ? 'Unarchive' : 'Archive'}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function CreateProjectForm({ pending, error, onCreate }: { pending: boolean; error: string | null; onCreate: (input: { projectSlug: string; name?: string }) => void }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');

  return (
    <InlineForm
      label="Create a project"
      submit="Create project"
      busyLabel="Creating…"
      pending={pending}
      error={error}
      onSubmit={() => onCreate({ projectSlug: slug.trim(), ...(name.trim() ? { name: name.trim() } : {}) })}
    >
      <label className="field">
        <span>Slug</span>
        <input name="projectSlug" required maxLength={64} value={slug} onChange={(e) => setSlug(e.target.value)} />
      </label>
      <label className="field">
        <span>Name (optional)</span>
        <input name="name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
    </InlineForm>
  );
}
