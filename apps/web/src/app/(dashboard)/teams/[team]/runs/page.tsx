import type { Metadata } from 'next';

import { RunsView } from '@/components/runs-view';

// Explicit rather than the generated PageProps, so `tsc` works on a clean clone (no .next/types).
interface TProps {
  params: Promise<{ team: string }>;
}

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: `Runs of ${(await params).team}` };
}

export default async function TeamRunsPage({ params }: TProps) {
  const { team } = await params;
  return <RunsView teamSlug={team} />;
}
