import type { Metadata } from 'next';

import { WorkersView } from '@/components/workers-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'Workers' };

export default async function WorkersPage({ params }: TProps) {
  return <WorkersView teamSlug={(await params).team} />;
}
