import type { Metadata } from 'next';

import { MembersView } from '@/components/members-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: TProps) {
  return <MembersView teamSlug={(await params).team} />;
}
