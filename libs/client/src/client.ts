import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
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

/** One line for a failed call: the message, plus each zod issue with its path. */
export function describeClientError(err: unknown): string {
  if (err instanceof TRPCClientError) {
    const data = err.data as { code?: string; issues?: { path: string; message: string }[] | null } | undefined;
    const issues = data?.issues?.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
    return issues ? `${data?.code ?? 'ERROR'}: ${issues}` : `${data?.code ?? 'ERROR'}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Network-level failures (API down, timeout) are worth retrying; a 4xx answer is not. */
export function isRetryableClientError(err: unknown): boolean {
  if (err instanceof TRPCClientError) {
    const status = (err.data as { httpStatus?: number } | undefined)?.httpStatus;
    return status === undefined || status >= 500;
  }
  return true;
}
