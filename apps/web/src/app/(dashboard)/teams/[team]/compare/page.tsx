import type { Metadata } from 'next';
import { Suspense } from 'react';

import { CompareView } from '@/components/compare-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'Compare runs' };

export default async function ComparePage({ params }: TProps) {
  const { team } = await params;
  // The view reads ?runs= on the client: a Suspense boundary keeps the rest of the page static.
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <CompareView teamSlug={team} />
    </Suspense>
  );
}
