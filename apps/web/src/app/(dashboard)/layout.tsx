import { Suspense } from 'react';
import type { ReactNode } from 'react';

import { AppHeader } from '@/components/app-header';

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      {/* The header reads ?team=, which needs a Suspense boundary on static pages. */}
      <Suspense fallback={<header className="app-header" />}>
        <AppHeader />
      </Suspense>
      <main className="page">{children}</main>
    </>
  );
}
