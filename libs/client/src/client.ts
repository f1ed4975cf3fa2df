import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';

import type { AppRouter } from '@hyperzoo/api-routers';

export type HyperzooClient = ReturnType<typeof createHyperzooClient>;

/** The typed tRPC client: every procedure of the API, with its input and output types. */
export function createHyperzooClient(opts: { url: string; apiKey?: string; fetch?: typeof fetch; timeoutMs?: number }) {
  const base = opts.url.replace(/\/$/, '');
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${base}/trpc`,
        transformer: superjson,
        headers: () => (opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
        fetch: (url, init) => (opts.fetch ?? fetch)(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(opts.timeoutMs ?? 30_000) }),
      }),
    ],
  });
}
