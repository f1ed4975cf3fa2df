import type { DbClient } from '@hyperzoo/db';
import type { PredictQueues, TrainQueues } from '@hyperzoo/queue';
import { SESSION_COOKIE } from '@hyperzoo/schemas';

import { resolveApiKey, resolveSession } from './services/auth';
import type { LiveHub } from './services/live-hub';
import type { TPrincipal } from './services/auth';
import type { LoginLimiter } from './services/login-limit';
import type { TPolicy } from './services/policy';
import type { Context } from './trpc';


function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null; // a malformed cookie (hz_session=%) is no session, not a 500
    }
  }
  return null;
}

/** The caller of a request: Bearer API key first, then the session cookie; null when neither is valid. */
export async function resolvePrincipal(db: DbClient, headers: { authorization?: string | null; cookie?: string | null }): Promise<TPrincipal | null> {
  const auth = headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
  const sessionToken = readCookie(headers.cookie, SESSION_COOKIE);
  return bearer ? resolveApiKey(db, bearer) : sessionToken ? resolveSession(db, sessionToken) : null;
}

/** Builds the per-request context from headers: Bearer API key first, then the session cookie. */
export async function createContext(
  deps: { db: DbClient; queues: TrainQueues; predictions: PredictQueues; predictTimeoutMs: number; live: LiveHub; loginLimiter: LoginLimiter; policy: TPolicy },
  req: { headers: { authorization?: string | null; cookie?: string | null; requestId?: string | null }; ip?: string | null },
  setHeader: (name: string, value: string) => void,
  opts: { secureCookies?: boolean } = {},
): Promise<Context> {
  const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
  const principal = await resolvePrincipal(deps.db, req.headers);
  return {
    ...deps,
    principal,
    sessionToken,
    requestId: req.headers.requestId ?? null,
    clientIp: req.ip ?? null,
    setSessionCookie(token, expiresAt) {
      const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(opts.secureCookies ? ['Secure'] : [])];
      const value = token
        ? `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attrs.join('; ')}; Expires=${(expiresAt ?? new Date()).toUTCString()}`
        : `${SESSION_COOKIE}=; ${attrs.join('; ')}; Max-Age=0`;
      setHeader('Set-Cookie', value);
    },
  };
}
