'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';


/** A team's pages; the ones whose API is still being built show as placeholders. */
const SECTIONS: { label: string; path: string | null }[] = [
  { label: 'Runs', path: 'runs' },
  { label: 'Sweeps', path: 'sweeps' },
  { label: 'Compare', path: 'compare' },
  { label: 'Overfitting', path: 'overfitting' },
  { label: 'Leaderboards', path: null },
  { label: 'Workers', path: 'workers' },
  { label: 'API keys', path: 'keys' },
  { label: 'Members', path: null },
];

export function SectionNav({ teamSlug }: { teamSlug: string }) {
  const pathname = usePathname();
  const base = `/teams/${encodeURIComponent(teamSlug)}`;
  return (
    <nav className="section-nav" aria-label="Team pages">
      <label className="inline-field">
        <span>Project</span>
        {/* A placeholder until the API lists a team's projects. */}
        <select disabled defaultValue="all" title="Choosing a project arrives with the projects API">
          <option value="all">All projects</option>
        </select>
      </label>
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
              <Link href={href} className={current ? 'section-link active' : 'section-link'} aria-current={current ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
