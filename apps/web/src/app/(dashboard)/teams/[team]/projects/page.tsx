import type { Metadata } from 'next';

import { ProjectsView } from '@/components/projects-view';

interface TProps {
  params: Promise<{ team: string }>;
}

export const metadata: Metadata = { title: 'Projects' };

export default async function ProjectsPage({ params }: TProps) {
  return <ProjectsView teamSlug={(await params).team} />;
}
