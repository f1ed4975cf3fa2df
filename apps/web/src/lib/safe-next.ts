const BASE = 'http://hyperzoo.invalid';

/**
 * Where to go after logging in: a path on this site, else '/'. Browsers drop tabs and newlines
 * from URLs and read a backslash as a slash, so "/\evil.example" and "/%09/evil.example" are
 * other hosts: resolve the target the way a browser would and keep it only if it stays here.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const url = new URL(next, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
