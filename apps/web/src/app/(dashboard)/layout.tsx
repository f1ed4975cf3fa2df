import { Suspense } from 'react';
import type { ReactNode } from 'react';

import { AfterHydration } from '@/components/after-hydration';
import { AppHeader } from '@/components/app-header';

export default function DashboardLayout({ children }: { children: ReactNode }) {
  const emptyHeader = <header className="app-header" />;
  return (
    <>
      {/* The header reads ?team=, which needs a Suspense boundary on static pages. */}
      <Suspense fallback={emptyHeader}>
        <AfterHydration fallback={emptyHeader}>
          <AppHeader />
        </AfterHydration>
      </Suspense>
      <main className="page">
        <AfterHydration>{children}</AfterHydration>
      </main>
    </>
  );
}
