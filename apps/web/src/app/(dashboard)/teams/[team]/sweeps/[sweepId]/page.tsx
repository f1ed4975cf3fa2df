import type { Metadata } from 'next';
import { Suspense } from 'react';

import { SweepView } from '@/components/sweeps/sweep-view';

interface TProps {
  params: Promise<{ team: string; sweepId: string }>;
}

export const metadata: Metadata = { title: 'Sweep' };

export default async function SweepPage({ params }: TProps) {
  const { team, sweepId } = await params;
  return (
    // The runs table keeps its sort, filters and selection in the address.
    <Suspense fallback={<p className="muted">Loading the sweep…</p>}>
      <SweepView teamSlug={team} sweepId={sweepId} />
    </Suspense>
  );
}
