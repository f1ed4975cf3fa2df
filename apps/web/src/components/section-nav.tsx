'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

import { ProjectSwitcher } from '@/components/project-switcher';

/** A team's pages; the ones whose API is still being built show as placeholders. */
const SECTIONS: { label: string; path: string | null }[] = [
  { label: 'Runs', path: 'runs' },
  { label: 'Sweeps', path: 'sweeps' },
  { label: 'Compare', path: 'compare' },
  { label: 'Overfitting', path: 'overfitting' },
  { label: 'Leaderboards', path: 'leaderboards' },
  { label: 'Workers', path: 'workers' },
  { label: 'API keys', path: 'keys' },
  { label: 'Projects', path: 'projects' },
  { label: 'Members', path: 'members' },
];

export function SectionNav({ teamSlug }: { teamSlug: string }) {
  const pathname = usePathname();
  const base = `/teams/${encodeURIComponent(teamSlug)}`;
  // The chosen project follows from page to page.
  const project = useSearchParams().get('project');
  const query = project ? `?project=${encodeURIComponent(project)}` : '';
  return (
    <nav className="section-nav" aria-label="Team pages">
      <ProjectSwitcher teamSlug={teamSlug} />
      <ul>
        {SECTIONS.map((s) => {
          if (!s.path) {
            return (
              <li key={s.label}>
                <span className="section-link" aria-disabled="true" title="Coming soon">
                  {s.label}
                </span>
              </li>
            );
          }
          const href = `${base}/${s.path}`;
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={s.label}>
              <Link href={`${href}${query}`} className={current ? 'section-link active' : 'section-link'} aria-current={current ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
