import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';

import { SignUpForm } from '@/components/signup-form';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignUpPage() {
  return (
    <main className="login">
      <div className="login-card">
        <h1 className="brand brand-large">Hyperzoo</h1>
        <p className="muted">Create an account and your own team</p>
        {/* useSearchParams (?invitation=, ?next=) needs a Suspense boundary in a static page. */}
        <Suspense>
          <SignUpForm />
        </Suspense>
        <p className="muted">
          Already have an account? <Link href="/login">Log in</Link>
        </p>
      </div>
    </main>
  );
}
