import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { NextConfig } from 'next';

import { env } from './src/env';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  distDir: env.WEB_DIST_DIR,
  // Workspace libs are consumed as TypeScript source.
  transpilePackages: ['@hyperzoo/schemas'],
  turbopack: { root: ROOT },
  outputFileTracingRoot: ROOT,
  // The browser talks to /trpc on this origin; Next forwards to the API (cookies included).
  // Rewrites are fixed when `next build` (or `next dev`) runs: set API_URL then.
  async rewrites() {
    return [{ source: '/trpc/:path*', destination: `${env.API_URL.replace(/\/$/, '')}/trpc/:path*` }];
  },
};

export default config;
