import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';

import { ARTIFACT_ROUTE, SESSION_COOKIE } from '@hyperzoo/schemas';

import { env } from '@/env';

/**
 * /trpc/* and /artifacts/* (downloads) go to the API, on this origin so the session cookie stays same-origin. API_URL is
 * read when the server runs, not baked into the build, so one build serves any API.
 * Without a session cookie the dashboard pages go straight to /login (the API still checks every call).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith('/trpc/') || pathname.startsWith(`${ARTIFACT_ROUTE}/`)) return NextResponse.rewrite(`${env.API_URL.replace(/\/$/, '')}${pathname}${search}`);
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = '/login';
  url.search = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname)}`;
  return NextResponse.redirect(url);
}

export const config = { matcher: ['/', '/teams/:path*', '/runs/:path*', '/trpc/:path*', '/artifacts/:path*'] };
