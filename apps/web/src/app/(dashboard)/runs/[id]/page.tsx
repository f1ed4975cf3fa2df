import type { Metadata } from 'next';

import { RunView } from '@/components/run-view';

interface TProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage({ params, searchParams }: TProps) {
  const { id } = await params;
  // The run API does not return the team; the runs table passes it along for the back link.
  const team = (await searchParams).team;
  return <RunView runId={id} teamSlug={typeof team === 'string' ? team : null} />;
}
