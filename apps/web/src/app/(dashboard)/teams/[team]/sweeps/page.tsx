import type { Metadata } from 'next';
import { Suspense } from 'react';

import { SweepsList } from '@/components/sweeps/sweeps-list';

interface TProps {
  params: Promise<{ team: string }>;
}

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `Sweeps of ${(await params).team}` };
}

export default async function TeamSweepsPage({ params }: TProps) {
  const { team } = await params;
  return (
    // The list reads ?project=.
    <Suspense fallback={<p className="muted">Loading sweeps…</p>}>
      <SweepsList teamSlug={team} />
    </Suspense>
  );
}
