import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';

import { LoginForm } from '@/components/login-form';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage() {
  return (
    <main className="login">
      <div className="login-card">
        <h1 className="brand brand-large">Hyperzoo</h1>
        <p className="muted">Experiment tracking for convolutional networks</p>
        {/* useSearchParams (the ?next= target) needs a Suspense boundary in a static page. */}
        <Suspense>
          <LoginForm />
        </Suspense>
        <p className="muted">
          New here? <Link href="/signup">Create an account</Link>
        </p>
      </div>
    </main>
  );
}
