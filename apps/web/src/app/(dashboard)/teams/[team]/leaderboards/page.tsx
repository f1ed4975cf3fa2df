import type { Metadata } from 'next';
import { Suspense } from 'react';

import { LeaderboardsView } from '@/components/leaderboards-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'Leaderboards' };

export default async function LeaderboardsPage({ params }: TProps) {
  const { team } = await params;
  // ?dataset= and ?by= are read with useSearchParams.
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <LeaderboardsView teamSlug={team} />
    </Suspense>
  );
}
