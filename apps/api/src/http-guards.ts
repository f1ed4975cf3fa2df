import type { IncomingMessage } from 'node:http';

/** Why a request is refused before tRPC sees it, or null to let it through. */
export interface TRefusal {
  status: number;
  message: string;
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/**
 * Cross-site request defence for state-changing calls (POST): the body must be JSON (an HTML
 * form can only send form encodings, and a cross-site fetch with JSON needs a CORS preflight
 * the API never grants), and a browser's Origin must be this site: the host the request was
 * sent to (the dashboard's, when Next proxies /trpc and forwards it) or an operator-listed origin.
 * Clients without an Origin (the CLI, workers, scripts) are not browsers and pass.
 */
export function checkMutationRequest(req: IncomingMessage, allowedOrigins: readonly string[]): TRefusal | null {
  if (req.method !== 'POST') return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return { status: 415, message: 'POST bodies must be application/json' };
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (allowedOrigins.includes(origin)) return null;
  const forwarded = req.headers['x-forwarded-host'];
  const sentTo = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? req.headers.host;
  const host = hostOf(origin);
  if (host !== null && sentTo !== undefined && host === sentTo) return null;
  return { status: 403, message: 'cross-site request refused (Origin does not match this site)' };
}
