'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

import { useTRPC } from '@/trpc/react';

/** The project a team page shows, from `?project=` (none: all projects), so every view stays a deep link. */
export function useProjectParam(): string | undefined {
  return useSearchParams().get('project') ?? undefined;
}

/** Chooses the project of the current page by rewriting `?project=`; archived projects are listed last. */
export function ProjectSwitcher({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const current = searchParams.get('project') ?? '';
  const projects = useQuery(trpc.projects.list.queryOptions({ teamSlug }));
  const sorted = [...(projects.data ?? [])].sort((a, b) => Number(a.archived) - Number(b.archived) || a.slug.localeCompare(b.slug));
  // A deep link to a project that is not (yet) in the list still shows which one is chosen.
  const isKnown = current === '' || sorted.some((p) => p.slug === current);

  function choose(slug: string) {
    const next = new URLSearchParams(searchParams);
    if (slug) next.set('project', slug);
    else next.delete('project');
    const qs = next.toString();
    router.push(qs ? `${pathname}?${qs}` : pathname);
  }

  return (
    <label className="inline-field">
      <span>Project</span>
      <select aria-label="Project" value={current} onChange={(e) => choose(e.target.value)} disabled={projects.isError} title={projects.isError ? 'Could not load the projects' : undefined}>
        <option value="">All projects</option>
        {!isKnown && <option value={current}>{current}</option>}
        {sorted.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
            {p.archived ? ' (archived)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
