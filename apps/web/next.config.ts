import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { NextConfig } from 'next';

import { env } from './src/env';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Browser-side defences for every page. Next's App Router streams inline scripts, so scripts are
 * limited to this origin plus inline ones (and eval in dev, for fast refresh); nothing may frame
 * the dashboard, and calls only go back to this origin (the /trpc proxy).
 */
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: CSP },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  distDir: env.WEB_DIST_DIR,
  output: env.WEB_OUTPUT,
  // Workspace libs are consumed as TypeScript source.
  transpilePackages: ['@hyperzoo/analysis', '@hyperzoo/schemas'],
  turbopack: { root: ROOT },
  outputFileTracingRoot: ROOT,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
  // /trpc/* is forwarded to API_URL by src/proxy.ts at run time (a rewrite here would be fixed at build time).
};

export default config;
