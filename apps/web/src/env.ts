import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

/** Server-side settings of the web app; read by next.config.ts and, when the server runs, by src/proxy.ts. */
export const env = createEnv({
  server: {
    /** Where the tRPC API listens; /trpc/* is proxied there so the session cookie stays same-origin. */
    API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
    /** Port for `next dev` / `next start` (Next reads PORT itself; validated here). */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Where `next build` writes and `next start` reads, relative to apps/web (scripts/lib/web-build.ts keeps one per source hash). */
    WEB_DIST_DIR: z.string().min(1).default('.next'),
    /** `standalone` for the container image (docker/Dockerfile.web): a self-contained server.js. */
    WEB_OUTPUT: z.enum(['standalone']).optional(),
    /** Set by Next itself: development under `next dev`. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  },
  client: {},
  runtimeEnv: { API_URL: process.env.API_URL, PORT: process.env.PORT, WEB_DIST_DIR: process.env.WEB_DIST_DIR, WEB_OUTPUT: process.env.WEB_OUTPUT, NODE_ENV: process.env.NODE_ENV },
  emptyStringAsUndefined: true,
  // One line naming each bad variable, like the api and worker (libs/schemas parseEnv).
  onValidationError: (issues) => {
    const lines = issues.map((i) => {
      const key = String(i.path?.map((p) => (typeof p === 'object' ? p.key : p)).join('.') ?? '(env)');
      return `${key}=${JSON.stringify(process.env[key] ?? null)}: ${i.message}`;
    });
    throw new Error(`hyperzoo web: invalid environment: ${lines.join('; ')}`);
  },
});
