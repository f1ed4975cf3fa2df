import type { Metadata } from 'next';
import Link from 'next/link';

import { NewSweepForm } from '@/components/sweeps/new-sweep-form';

interface TProps {
  params: Promise<{ team: string }>;
  searchParams: Promise<{ project?: string | string[] }>;
}

export const metadata: Metadata = { title: 'New sweep' };

export default async function NewSweepPage({ params, searchParams }: TProps) {
  const { team } = await params;
  const { project } = await searchParams;
  return (
    <section>
      <Link className="back" href={`/teams/${encodeURIComponent(team)}/sweeps`}>
        ← Sweeps
      </Link>
      <div className="page-title">
        <h1>New sweep</h1>
      </div>
      <NewSweepForm teamSlug={team} project={typeof project === 'string' ? project : null} />
    </section>
  );
}
