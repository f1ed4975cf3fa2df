import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

/** Server-side settings of the web app; read by next.config.ts (rewrites) and `next start`. */
export const env = createEnv({
  server: {
    /** Where the tRPC API listens; /trpc/* is proxied there so the session cookie stays same-origin. */
    API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
    /** Port for `next dev` / `next start` (Next reads PORT itself; validated here). */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Set by Next itself: development under `next dev`. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  },
  client: {},
  runtimeEnv: { API_URL: process.env.API_URL, PORT: process.env.PORT, NODE_ENV: process.env.NODE_ENV },
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
