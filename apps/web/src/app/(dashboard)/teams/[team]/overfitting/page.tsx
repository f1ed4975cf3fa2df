import type { Metadata } from 'next';
import { Suspense } from 'react';

import { OverfittingView } from '@/components/overfitting-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'Overfitting' };

export default async function OverfittingPage({ params }: TProps) {
  const { team } = await params;
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <OverfittingView teamSlug={team} />
    </Suspense>
  );
}
