import type { Metadata } from 'next';
import { Suspense } from 'react';

import { JoinTeam } from '@/components/join-team';

export const metadata: Metadata = { title: 'Join a team' };

export default function JoinPage() {
  return (
    <main className="login">
      <div className="login-card">
        <h1 className="brand brand-large">Hyperzoo</h1>
        {/* The invitation token is in ?token=, read with useSearchParams. */}
        <Suspense>
          <JoinTeam />
        </Suspense>
      </div>
    </main>
  );
}
