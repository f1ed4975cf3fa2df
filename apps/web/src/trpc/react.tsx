'use client';

import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import superjson from 'superjson';

import type { AppRouter } from '@hyperzoo/api-routers';
import { BATCH_SIZE } from '@hyperzoo/schemas';

import { getErrorCode } from '@/lib/errors';

const trpcContext = createTRPCContext<AppRouter>();
const { TRPCProvider } = trpcContext;
export const { useTRPC } = trpcContext;

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      // An expired or revoked session: back to the login page, wherever it happens.
      onError: (err) => {
        if (getErrorCode(err) === 'UNAUTHORIZED' && window.location.pathname !== '/login') {
          window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        // 4xx answers (not found, forbidden, bad input) do not get better by retrying.
        retry: (count, err) => count < 2 && !/^(UNAUTHORIZED|FORBIDDEN|NOT_FOUND|BAD_REQUEST)$/.test(getErrorCode(err) ?? ''),
      },
    },
  });
}

/**
 * TanStack Query + tRPC for the client components; calls go to /trpc on this origin (proxied to
 * the API). Subscriptions (live.*) are Server-Sent Events: EventSource reconnects by itself and
 * sends the last event id, so the API replays what was missed.
 */
export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Long batches (a project's runs analysed one by one) split into several GETs, each well under
        // URL limits and within the calls the API takes in one request (a larger batch is refused whole).
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
          false: httpBatchLink({ url: '/trpc', transformer: superjson, maxURLLength: 4000, maxItems: BATCH_SIZE }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
