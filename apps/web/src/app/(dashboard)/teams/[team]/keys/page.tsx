import type { Metadata } from 'next';

import { KeysView } from '@/components/keys-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'API keys' };

export default async function KeysPage({ params }: TProps) {
  return <KeysView teamSlug={(await params).team} />;
}
