'use client';

import { useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';

const subscribe = () => () => undefined;

/**
 * Renders `fallback` on the server and while hydrating, then `children`. The dashboard fetches all
 * its data in the browser, and parts share queries (auth.me, projects.list): an answer that comes
 * in before a later Suspense boundary hydrates would render that boundary unlike the server's HTML
 * (React error 418). Drawn only after hydration, the first client render always matches.
 */
export function AfterHydration({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const isHydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return isHydrated ? children : fallback;
}
