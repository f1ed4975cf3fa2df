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
  // /trpc/* is forwarded to API_URL by src/proxy.ts at run time (a rewrite here would be fixed at build time).
};

export default config;
